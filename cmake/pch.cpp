// Translation unit that owns the precompiled LibTorch header (see TwbTargets.cmake).
