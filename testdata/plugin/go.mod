module example.com/regauditdemo

go 1.26.0
