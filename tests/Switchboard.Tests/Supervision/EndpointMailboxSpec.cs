using Akka.Actor;
using Akka.Dispatch;
using Akka.TestKit.Xunit2;
using Switchboard.Supervision;

namespace Switchboard.Tests.Supervision;

/// <summary>
/// The endpoint actors' small mailbox: nothing lost or reordered however many threads send, its array
/// given back once drained, and what is left at stop handed to dead letters.
/// </summary>
public sealed class EndpointMailboxSpec() : TestKit("akka.loglevel = WARNING")
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Concurrent_senders_lose_nothing_and_each_senders_order_is_kept()
    {
        var queue = new EndpointMailbox.MessageQueue();
        const int senders = 4;
        const int each = 25_000;
        var last = new int[senders];
        Array.Fill(last, -1);
        var taken = 0;
        var consumer = Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + Bound;
            while (taken < senders * each && DateTime.UtcNow < deadline)
            {
                if (!queue.TryDequeue(out var envelope))
                {
                    Thread.Yield();
                    continue;
                }

                var (sender, n) = ((int, int))envelope.Message;
                Assert.Equal(last[sender] + 1, n);
                last[sender] = n;
                taken++;
            }
        });
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < each; i++)
            {
                queue.Enqueue(ActorRefs.Nobody, new Envelope((s, i), ActorRefs.NoSender));
            }
        })));
        await consumer.WaitAsync(Bound);

        Assert.Equal(senders * each, taken);
        Assert.All(last, n => Assert.Equal(each - 1, n));
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_drained_queue_gives_back_an_array_that_grew_and_an_empty_one_holds_none()
    {
        var queue = new EndpointMailbox.MessageQueue();
        Assert.Equal(0, queue.Capacity);
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(ActorRefs.Nobody, new Envelope(i, ActorRefs.NoSender));
        }

        Assert.True(queue.Capacity >= 100);
        Assert.Equal(100, queue.Count);
        while (queue.TryDequeue(out _))
        {
        }

        Assert.Equal(0, queue.Capacity);

        // A mailbox that never holds more than a few keeps its small array: no churn per message.
        queue.Enqueue(ActorRefs.Nobody, new Envelope(1, ActorRefs.NoSender));
        queue.TryDequeue(out _);
        var small = queue.Capacity;
        Assert.InRange(small, 1, EndpointMailbox.MessageQueue.KeptCapacity);
        queue.Enqueue(ActorRefs.Nobody, new Envelope(2, ActorRefs.NoSender));
        queue.TryDequeue(out _);
        Assert.Equal(small, queue.Capacity);
    }

    [Fact]
    public void Messages_left_at_stop_go_to_dead_letters()
    {
        var queue = new EndpointMailbox.MessageQueue();
        var deadLetters = new EndpointMailbox.MessageQueue();
        queue.Enqueue(ActorRefs.Nobody, new Envelope("a", ActorRefs.NoSender));
        queue.Enqueue(ActorRefs.Nobody, new Envelope("b", ActorRefs.NoSender));

        queue.CleanUp(ActorRefs.Nobody, deadLetters);

        Assert.False(queue.HasMessages);
        Assert.True(deadLetters.TryDequeue(out var first));
        Assert.True(deadLetters.TryDequeue(out var second));
        Assert.Equal(["a", "b"], new[] { first.Message, second.Message });
    }

    [Fact]
    public void An_actor_props_with_the_mailbox_gets_it_in_a_system_built_without_Switchboards_config()
    {
        Assert.False(Sys.Settings.Config.HasPath(EndpointMailbox.Id));
        EndpointMailbox.Register(Sys);
        EndpointMailbox.Register(Sys); // twice is harmless

        var echo = Sys.ActorOf(Props.Create(() => new Echo()).WithMailbox(EndpointMailbox.Id));
        echo.Tell("ping", TestActor);
        ExpectMsg("ping", Bound);

        var cell = (ActorCell)((ActorRefWithCell)echo).Underlying;
        Assert.IsType<EndpointMailbox.MessageQueue>(cell.Mailbox?.MessageQueue);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }
}
