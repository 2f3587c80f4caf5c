// etcd, as the upstream root module's main.go starts it (go.etcd.io/etcd/v3 main.go: etcdmain.Main(os.Args)).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
