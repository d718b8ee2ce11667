module spm.example/scorecard

go 1.19
