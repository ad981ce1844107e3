@problemName Huge
@timeStamps false
@univariate false
@dimensions 1000000000000
@equalLength true
@seriesLength 1000000000000
@classLabel true a b
@data
1,2,3:a
