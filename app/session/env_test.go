package session

import "testing"

// A page follows only the topics it shows: closing the storage notice must not make the
// receipts page fetch again, the queue settling must.
func TestChangesByTopic(t *testing.T) {
	var queue, device int
	c1 := Changes.Subscribe(func() { queue++ }, TopicQueue, TopicUser)
	c2 := Changes.Subscribe(func() { device++ }, TopicDevice)
	defer c1()
	defer c2()
	Device.DismissWarning()
	if queue != 0 || device != 1 {
		t.Fatalf("after dismissing a notice: queue page %d, top bar %d", queue, device)
	}
	Changes.Notify(TopicQueue)
	if queue != 1 || device != 1 {
		t.Fatalf("after the queue settled: queue page %d, top bar %d", queue, device)
	}
	c1()
	Changes.Notify(TopicQueue)
	if queue != 1 {
		t.Error("a cancelled subscription was called")
	}
}
