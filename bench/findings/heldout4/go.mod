module regaudit.bench/findings/heldout4

go 1.26.8

require github.com/looplab/fsm v1.0.3
