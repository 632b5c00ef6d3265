using Switchboard.IO;
using Switchboard.IO.Delivery;

namespace Switchboard.Tests.IO;

public sealed class DeliveryRegistrySpec
{
    [Fact]
    public void One_record_per_peer_and_epoch()
    {
        var registry = new DeliveryRegistry();
        var record = registry.For("master", 1);
        Assert.Same(record, registry.For("master", 1));
        Assert.NotSame(record, registry.For("master", 2));
        Assert.NotSame(record, registry.For("other", 1));
        Assert.Equal(3, registry.Count);
    }

    [Fact]
    public void Beyond_capacity_the_least_recently_resumed_sender_is_forgotten()
    {
        var registry = new DeliveryRegistry(capacity: 2);
        var a = registry.For("master", 1);
        var b = registry.For("master", 2);
        Assert.Same(a, registry.For("master", 1)); // a is now the most recent; b the oldest
        registry.For("master", 3);
        Assert.Equal(2, registry.Count);
        Assert.Same(a, registry.For("master", 1));
        Assert.NotSame(b, registry.For("master", 2));
    }

    [Fact]
    public void Resume_acknowledges_what_was_delivered_or_what_the_sender_already_had_acknowledged()
    {
        var record = new DeliveryRecord(0);
        Assert.Equal(0, record.Resume(1)); // a new sender: nothing delivered, resend from 1
        Deliver(record, 1, 2, 3);
        Assert.Equal(3, record.Resume(2)); // 2 and 3 delivered although unacknowledged: not again
        var forgotten = new DeliveryRecord(0);
        Assert.Equal(9, forgotten.Resume(10)); // a forgotten sender is believed: 1..9 were acknowledged once
    }

    [Fact]
    public void A_copy_of_a_delivered_frame_is_not_new()
    {
        var record = new DeliveryRecord(0);
        Deliver(record, 1, 2);
        using (record.EnterScope())
        {
            Assert.False(record.IsNew(2));
            Assert.True(record.IsNew(3));
        }
    }

    [Fact]
    public async Task Two_links_racing_over_the_same_frames_deliver_each_exactly_once_in_order()
    {
        const int Frames = 20_000;
        var record = new DeliveryRecord(0);
        var delivered = new List<long>();
        // Each link sees the same contiguous stream, as an old link still draining and its replacement do.
        var links = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (long seq = 1; seq <= Frames; seq++)
            {
                using (record.EnterScope())
                {
                    if (record.IsNew(seq))
                    {
                        delivered.Add(seq);
                        record.MarkDelivered(seq);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(links).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(1, Frames).Select(n => (long)n), delivered);
    }

    private static void Deliver(DeliveryRecord record, params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            using (record.EnterScope())
            {
                Assert.True(record.IsNew(seq));
                record.MarkDelivered(seq);
            }
        }
    }
}
