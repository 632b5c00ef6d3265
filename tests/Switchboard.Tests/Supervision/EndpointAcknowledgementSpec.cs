using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard.Tests.Supervision;

/// <summary>
/// The sender's side of acknowledgements, on virtual time: the IO pool is a probe, links come up as the
/// test says, with or without the acknowledged framing negotiated.
/// </summary>
public sealed class EndpointAcknowledgementSpec : TestKit
{
    private const int Window = 3;

    private readonly TestProbe _io;
    private readonly TestProbe _supervisor;
    private readonly SwitchboardSettings _settings;
    private readonly AdmissionGate _gate;
    private readonly EndpointContext _context;

    public EndpointAcknowledgementSpec() : base("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        """)
    {
        _settings = Support.Settings.Load($"switchboard.connection.send-queue-size = {Window}");
        _io = CreateTestProbe("io");
        _gate = new AdmissionGate(AdmissionLimit.Fixed(_settings.Admission.MaxConcurrentHandshakes), 0, Sys.Scheduler);
        var tls = TlsContext.CreateClient(new TlsContextOptions(_settings.Tls.Ca, _settings.Tls.Certificate, _settings.Tls.PrivateKey));
        _supervisor = CreateTestProbe("supervisor");
        _context = new EndpointContext(_settings, _supervisor.Ref, _io.Ref, null, _gate, new ClientTls(tls), FrameCredit.Start(Sys, 1 << 20, "frame-acks"));
    }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private IActorRef Spawn() =>
        Sys.ActorOf(EndpointActor.Props(Endpoint, _context, _cell, new EndpointActor.Subscribers([], [_supervisor.Ref])));

    private static readonly EndpointSettings Endpoint = new("agent-00001", "127.10.0.1", 5665);

    private readonly StatusCell _cell = new StatusBoard().Join(EndpointActor.Initial(Endpoint));

    /// <summary>Waits for the endpoint to enter <paramref name="state"/> and returns its status from then on.</summary>
    private EndpointStatus ExpectState(EndpointState state)
    {
        _supervisor.FishForMessage<EndpointStateChanged>(c => c.State == state, TimeSpan.FromSeconds(3));
        return _cell.Status;
    }

    private static HandshakeInfo Info(bool acknowledged) =>
        new("TLSv1.3", "TLS_AES_256_GCM_SHA384", false, "agent-00001", true, acknowledged ? TlsContext.AcknowledgedProtocol : null);

    /// <summary>The next attempt's link comes up; returned with the position its Resume goes out from (given with the open request).</summary>
    private (Io.OpenLink Open, Io.DeliveryPosition Resume) Up(bool acknowledged)
    {
        var open = _io.ExpectMsg<Io.OpenLink>(TimeSpan.FromSeconds(3));
        open.Owner.Tell(new Io.LinkUp(open.LinkId, _io.Ref, Info(acknowledged), TimeSpan.FromMilliseconds(1), null));
        // Answered after the LinkUp in mailbox order: the endpoint has started its resume deadline on virtual time.
        var handled = CreateTestProbe();
        open.Owner.Tell(new Identify(open.LinkId), handled.Ref);
        handled.ExpectMsg<ActorIdentity>();
        Assert.NotNull(open.Delivery);
        return (open, open.Delivery.Value);
    }

    private void Down(Io.OpenLink open)
    {
        open.Owner.Tell(new Io.LinkDown(open.LinkId, new LinkFailure(LinkFailureCause.PeerClosed, "flap")));
        ExpectState(EndpointState.Backoff);
        Scheduler.Advance(_settings.Backoff.Max);
    }

    private void Send(IActorRef endpoint, byte value) => endpoint.Tell(new Send("agent-00001", new[] { value }), TestActor);

    private (byte Value, long Seq) ExpectWrite(long linkId)
    {
        var write = _io.ExpectMsg<Io.WriteFrame>();
        Assert.Equal(linkId, write.LinkId);
        return (write.Payload.Span[0], write.Seq);
    }

    [Fact]
    public void An_acknowledged_link_resumes_first_and_writes_nothing_until_the_peer_acks()
    {
        var endpoint = Spawn();
        Send(endpoint, 10);
        Send(endpoint, 11);
        var (open, resume) = Up(acknowledged: true);
        Assert.Equal(1, resume.NextSeq);
        Send(endpoint, 12);
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        endpoint.Tell(new Io.Acked(open.LinkId, 0));
        Assert.Equal((10, 1L), ExpectWrite(open.LinkId));
        Assert.Equal((11, 2L), ExpectWrite(open.LinkId));
        Assert.Equal((12, 3L), ExpectWrite(open.LinkId));
    }

    [Fact]
    public void After_a_drop_exactly_the_frames_the_peer_did_not_deliver_are_resent_in_order_before_new_ones()
    {
        var endpoint = Spawn();
        var (first, resume) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(first.LinkId, 0));
        for (byte b = 1; b <= 3; b++)
        {
            Send(endpoint, b);
            Assert.Equal((b, (long)b), ExpectWrite(first.LinkId));
        }

        endpoint.Tell(new Io.Acked(first.LinkId, 1)); // frame 1 acknowledged, 2 and 3 in flight
        Down(first);

        var (second, again) = Up(acknowledged: true);
        Assert.Equal(resume.Epoch, again.Epoch); // same incarnation: the peer knows what it delivered
        Assert.Equal(2, again.NextSeq); // the oldest frame not acknowledged
        endpoint.Tell(new Io.Acked(second.LinkId, 2)); // the peer had delivered 2 after all; 3 died in its kernel
        Assert.Equal((3, 3L), ExpectWrite(second.LinkId));
        Send(endpoint, 4);
        Assert.Equal((4, 4L), ExpectWrite(second.LinkId));
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_full_window_holds_new_sends_in_the_queue_until_acks_make_room()
    {
        var endpoint = Spawn();
        var (open, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(open.LinkId, 0));
        for (byte b = 1; b <= Window; b++)
        {
            Send(endpoint, b);
            ExpectWrite(open.LinkId);
        }

        Send(endpoint, 4);
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        endpoint.Tell(new Io.Acked(open.LinkId, 1));
        Assert.Equal((4, 4L), ExpectWrite(open.LinkId));

        // Window full again and the queue filled too: the next send is refused at once, and only it.
        for (byte b = 5; b < 5 + Window; b++)
        {
            Send(endpoint, b);
        }

        Send(endpoint, 99);
        var refused = ExpectMsg<SendFailed>();
        Assert.Equal(99, refused.Payload.Span[0]);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Retiring_answers_every_unacknowledged_and_queued_message_with_send_failed_exactly_once()
    {
        var endpoint = Spawn();
        var (open, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(open.LinkId, 0));
        for (byte b = 1; b <= Window + 2; b++)
        {
            Send(endpoint, b);
        }

        endpoint.Tell(new Io.Acked(open.LinkId, 1)); // 1 delivered: no SendFailed for it
        Watch(endpoint);
        endpoint.Tell(new EndpointActor.Retire("removed", ForgetSessions: true));
        var failed = ReceiveN(Window + 1).Cast<SendFailed>().Select(f => f.Payload.Span[0]).ToArray();
        Assert.Equal(new byte[] { 2, 3, 4, 5 }, failed);
        ExpectTerminated(endpoint);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_numbered_frame_returned_by_the_io_actor_is_not_written_twice()
    {
        var endpoint = Spawn();
        var (first, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(first.LinkId, 0));
        Send(endpoint, 1);
        var write = _io.ExpectMsg<Io.WriteFrame>();
        Down(first);
        var (second, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.FrameNotWritten(first.LinkId, write.Payload, write.ReplyTo, write.Seq));
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        endpoint.Tell(new Io.Acked(second.LinkId, 0));
        Assert.Equal((1, 1L), ExpectWrite(second.LinkId)); // once, from the window
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_plain_link_gets_unnumbered_frames_and_no_resume()
    {
        var endpoint = Spawn();
        var (open, _) = Up(acknowledged: false);
        Send(endpoint, 7);
        Assert.Equal((7, 0L), ExpectWrite(open.LinkId));
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_peer_that_stops_negotiating_acknowledgements_gets_the_unacknowledged_frames_again_as_plain_ones()
    {
        var endpoint = Spawn();
        var (first, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(first.LinkId, 0));
        Send(endpoint, 1);
        ExpectWrite(first.LinkId);
        Down(first);
        Send(endpoint, 2);
        var (second, _) = Up(acknowledged: false);
        Assert.Equal((1, 0L), ExpectWrite(second.LinkId));
        Assert.Equal((2, 0L), ExpectWrite(second.LinkId));
    }

    [Fact]
    public void A_resume_ack_below_what_the_peer_already_acknowledged_drops_the_link_instead_of_misnumbering()
    {
        var endpoint = Spawn();
        var (first, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(first.LinkId, 0));
        Send(endpoint, 1);
        Send(endpoint, 2);
        ExpectWrite(first.LinkId);
        ExpectWrite(first.LinkId);
        endpoint.Tell(new Io.Acked(first.LinkId, 1));
        Down(first);

        var (second, resume) = Up(acknowledged: true);
        Assert.Equal(2, resume.NextSeq);
        endpoint.Tell(new Io.Acked(second.LinkId, 0)); // frame 1 is gone from the window: 2 cannot be sent as 1
        Assert.Equal(second.LinkId, _io.ExpectMsg<Io.AbortLink>().LinkId);
        var status = ExpectState(EndpointState.Backoff);
        Assert.Contains("below 1", status.LastError);
        Scheduler.Advance(_settings.Backoff.Max);
        var (third, again) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(third.LinkId, 1));
        Assert.Equal((2, 2L), ExpectWrite(third.LinkId)); // nothing was lost on the way
        Assert.Equal(2, again.NextSeq);
    }

    [Fact]
    public void A_peer_that_never_answers_resume_is_dropped_after_twice_idle_timeout_and_the_message_waits_for_the_next_link()
    {
        var endpoint = Spawn();
        Send(endpoint, 1);
        var (first, _) = Up(acknowledged: true);
        Scheduler.Advance(_settings.Connection.IdleTimeout * 2 - TimeSpan.FromMilliseconds(1));
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(first.LinkId, _io.ExpectMsg<Io.AbortLink>().LinkId);
        var status = ExpectState(EndpointState.Backoff);
        Assert.Contains("did not acknowledge Resume", status.LastError);

        Scheduler.Advance(_settings.Backoff.Max);
        var (second, _) = Up(acknowledged: true);
        endpoint.Tell(new Io.Acked(second.LinkId, 0));
        Assert.Equal((1, 1L), ExpectWrite(second.LinkId));
    }
}
