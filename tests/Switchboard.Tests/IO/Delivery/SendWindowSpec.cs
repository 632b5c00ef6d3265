using Akka.Actor;
using Switchboard.IO.Delivery;

namespace Switchboard.Tests.IO.Delivery;

/// <summary>The sender's side of acknowledged delivery as plain logic: numbering, resume, acks, downgrade.</summary>
public sealed class SendWindowSpec
{
    private static readonly IActorRef Nobody = ActorRefs.Nobody;

    private static ReadOnlyMemory<byte> Frame(byte value) => new[] { value };

    [Fact]
    public void Frames_on_a_plain_link_are_not_numbered_and_not_kept()
    {
        var window = new SendWindow(capacity: 2);
        Assert.Empty(window.LinkUp(acknowledged: false));
        Assert.Equal(0, window.Number(Frame(1), Nobody));
        Assert.Equal(0, window.Count);
        Assert.True(window.CanWrite);
    }

    [Fact]
    public void Frames_on_an_acknowledged_link_are_numbered_from_one_and_kept_until_acknowledged()
    {
        var window = new SendWindow(capacity: 3);
        window.LinkUp(acknowledged: true);
        Assert.False(window.CanWrite); // resuming: nothing until the peer's Ack
        Assert.Equal(SendWindow.AckOutcome.Advanced, window.Ack(0, out var resend));
        Assert.Empty(resend);

        Assert.Equal([1L, 2L, 3L], new[] { window.Number(Frame(1), Nobody), window.Number(Frame(2), Nobody), window.Number(Frame(3), Nobody) });
        Assert.False(window.CanWrite); // full
        Assert.Equal(SendWindow.AckOutcome.Advanced, window.Ack(2, out _));
        Assert.Equal(1, window.Count);
        Assert.True(window.CanWrite);
    }

    [Fact]
    public void Heartbeats_are_never_numbered()
    {
        var window = new SendWindow(capacity: 3);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        Assert.Equal(0, window.Number(ReadOnlyMemory<byte>.Empty, Nobody));
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void After_a_reconnect_resume_announces_the_first_unacknowledged_frame_and_the_ack_returns_the_rest_in_order()
    {
        var window = new SendWindow(capacity: 5);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        for (byte i = 1; i <= 4; i++)
        {
            window.Number(Frame(i), Nobody);
        }

        window.Ack(1, out _);
        window.LinkDown();

        window.LinkUp(acknowledged: true);
        Assert.True(window.Resuming);
        Assert.Equal(2, window.FirstUnacknowledged);
        // The peer delivered frame 2 before the old link died, but its Ack was lost.
        Assert.Equal(SendWindow.AckOutcome.Advanced, window.Ack(2, out var resend));
        Assert.False(window.Resuming);
        Assert.Equal([(3L, (byte)3), (4L, (byte)4)], resend.Select(f => (f.Seq, f.Payload.Span[0])));
        // Numbering continues where it was.
        Assert.Equal(5, window.Number(Frame(5), Nobody));
    }

    [Fact]
    public void An_ack_of_frames_never_sent_is_refused_and_changes_nothing()
    {
        var window = new SendWindow(capacity: 5);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        window.Number(Frame(1), Nobody);
        Assert.Equal(SendWindow.AckOutcome.BeyondSent, window.Ack(2, out _));
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void On_resume_an_ack_below_what_was_already_acknowledged_means_the_link_must_go()
    {
        var window = new SendWindow(capacity: 5);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        window.Number(Frame(1), Nobody);
        window.Number(Frame(2), Nobody);
        window.Ack(1, out _);
        window.LinkDown();

        window.LinkUp(acknowledged: true);
        // Frame 1 is gone from the window: resending 2 as the peer's "next after 0" would misnumber it.
        Assert.Equal(SendWindow.AckOutcome.BelowAcknowledged, window.Ack(0, out _));
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void A_link_that_no_longer_acknowledges_gets_every_unacknowledged_frame_again_as_plain_frames()
    {
        var window = new SendWindow(capacity: 5);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        window.Number(Frame(1), Nobody);
        window.Number(Frame(2), Nobody);
        window.LinkDown();

        var resend = window.LinkUp(acknowledged: false);
        Assert.Equal([(0L, (byte)1), (0L, (byte)2)], resend.Select(f => (f.Seq, f.Payload.Span[0])));
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Taking_everything_returns_the_unacknowledged_frames_oldest_first_and_empties_the_window()
    {
        var window = new SendWindow(capacity: 5);
        window.LinkUp(acknowledged: true);
        window.Ack(0, out _);
        window.Number(Frame(7), Nobody);
        window.Number(Frame(8), Nobody);
        Assert.Equal([(byte)7, (byte)8], window.TakeAll().Select(f => f.Payload.Span[0]));
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void Each_window_has_its_own_random_epoch()
    {
        Assert.NotEqual(new SendWindow(1).Epoch, new SendWindow(1).Epoch);
    }
}
