module regaudit.bench/findings/heldout5

go 1.26.8

require (
	github.com/eclipse/paho.golang v0.23.0
	github.com/mediocregopher/radix/v4 v4.1.4
)

require github.com/tilinna/clock v1.0.2 // indirect
