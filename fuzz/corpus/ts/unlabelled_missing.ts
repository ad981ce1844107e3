@problemName X
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel false
@data
1.0,?,3:4,5,6
0.5,NaN:1e-3,2
