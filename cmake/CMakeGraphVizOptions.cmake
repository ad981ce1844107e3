# What scripts/library-graph.sh draws: the project's own libraries, plugins and programs and
# their links (Qt, LibTorch and the other external libraries left out: the README lists them);
# tests, benchmarks and test plugins left out too.
set(GRAPHVIZ_GRAPH_NAME "Transformer Workbench: libraries and their links")
set(GRAPHVIZ_GENERATE_PER_TARGET FALSE)
set(GRAPHVIZ_GENERATE_DEPENDERS FALSE)
set(GRAPHVIZ_CUSTOM_TARGETS FALSE)
set(GRAPHVIZ_EXTERNAL_LIBS FALSE)
set(GRAPHVIZ_IMPORTED_TARGETS FALSE)
set(GRAPHVIZ_INTERFACE_TARGETS FALSE)
set(GRAPHVIZ_UNKNOWN_LIBS FALSE)
set(GRAPHVIZ_IGNORE_TARGETS "^tst_;^twbdummy;^twb-bench;^bench_;^shot_;^twb_torch_pch$;^twb-tour$")
