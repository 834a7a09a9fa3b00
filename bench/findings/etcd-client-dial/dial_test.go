// Package etcdclientdial reproduces the unguarded read of c.endpoints in
// go.etcd.io/etcd/client/v3 v3.7.3 client.go:327 (bench/FINDINGS.md).
package etcdclientdial

import (
	"sync"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// TestDialRacesSetEndpoints runs Client.Dial (what Maintenance does for
// every per-endpoint call: Status, HashKV, Snapshot, MoveLeader, ...) while
// the endpoints are replaced, as Client.Sync does from the auto-sync
// goroutine when Config.AutoSyncInterval is set. Run with -race. No etcd
// server is needed: grpc.NewClient does not connect.
func TestDialRacesSetEndpoints(t *testing.T) {
	c, err := clientv3.New(clientv3.Config{
		Endpoints: []string{"127.0.0.1:2379"},
		Logger:    zap.NewNop(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // what Sync does after each auto-sync MemberList
		defer wg.Done()
		for i := 0; i < 100; i++ {
			c.SetEndpoints("127.0.0.1:2379", "127.0.0.1:22379")
		}
	}()
	for i := 0; i < 100; i++ {
		conn, err := c.Dial("127.0.0.1:32379")
		if err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}
	wg.Wait()
}
