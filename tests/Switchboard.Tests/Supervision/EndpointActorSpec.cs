using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Tests.Support;
using Switchboard.Tls;

namespace Switchboard.Tests.Supervision;

/// <summary>The endpoint lifecycle on virtual time: the IO pool is a probe that answers as a test tells it.</summary>
public sealed class EndpointActorSpec : TestKit
{
    private const string VirtualTime = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        """;

    private readonly TestProbe _io;
    private readonly TestProbe _supervisor;
    private readonly Dictionary<string, StatusCell> _cells = [];
    private readonly SwitchboardSettings _settings;
    private readonly AdmissionGate _gate;
    private readonly EndpointContext _context;

    public EndpointActorSpec() : this(2) { }

    private EndpointActorSpec(int cap) : base(VirtualTime)
    {
        _settings = Support.Settings.Load($"switchboard.admission.max-concurrent-handshakes = {cap}");
        _io = CreateTestProbe("io");
        _supervisor = CreateTestProbe("supervisor");
        _gate = new AdmissionGate(AdmissionLimit.Fixed(_settings.Admission.MaxConcurrentHandshakes), 0, Sys.Scheduler);
        var tls = TlsContext.CreateClient(new TlsContextOptions(_settings.Tls.Ca, _settings.Tls.Certificate, _settings.Tls.PrivateKey));
        _context = new EndpointContext(_settings, _supervisor.Ref, _io.Ref, null, _gate, new ClientTls(tls), FrameCredit.Start(Sys, 1 << 20, "frame-acks"));
    }

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private IActorRef Spawn(string name = "agent-00001") =>
        Sys.ActorOf(EndpointActor.Props(Endpoint(name), _context, _cells[name] = new StatusBoard().Join(EndpointActor.Initial(Endpoint(name))), StateChangesTo(_supervisor)));

    private static EndpointSettings Endpoint(string name) => new(name, "127.10.0.1", 5665);

    /// <summary>The supervisor probe hears every state change, as a subscriber of them would.</summary>
    private static EndpointActor.Subscribers StateChangesTo(TestProbe probe) => new([], [probe.Ref]);

    private Io.OpenLink ExpectOpen() => _io.ExpectMsg<Io.OpenLink>(TimeSpan.FromSeconds(3));

    /// <summary>Waits for an endpoint to enter <paramref name="state"/> and returns its status from then on.</summary>
    private EndpointStatus ExpectState(EndpointState state, string name = "agent-00001")
    {
        _supervisor.FishForMessage<EndpointStateChanged>(c => c.Endpoint == name && c.State == state, TimeSpan.FromSeconds(3));
        return _cells[name].Status;
    }

    private void Fail(Io.OpenLink open, bool afterTcp = false)
    {
        if (afterTcp)
        {
            open.Owner.Tell(new Io.TcpConnected(open.LinkId, _io.Ref));
            ExpectState(EndpointState.Handshaking);
        }

        open.Owner.Tell(new Io.LinkFailed(open.LinkId, new LinkFailure(afterTcp ? LinkFailureCause.HandshakeTimeout : LinkFailureCause.Refused, "test"), afterTcp));
    }

    /// <summary>Fails that many attempts in a row, letting each backoff run out.</summary>
    private void FailAttempts(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Fail(ExpectOpen());
            ExpectState(EndpointState.Backoff);
            Scheduler.Advance(_settings.Backoff.Max);
        }
    }

    private static HandshakeInfo Info(bool resumed = false) => new("TLSv1.3", "TLS_AES_256_GCM_SHA384", resumed, "agent-00001", true);

    [Fact]
    public void Each_retry_comes_within_the_full_jitter_ceiling_of_its_failure_count()
    {
        Spawn();
        var policy = new BackoffPolicy(_settings.Backoff, new Random());
        for (var failures = 1; failures <= 8; failures++)
        {
            var open = ExpectOpen();
            Fail(open);
            var status = ExpectState(EndpointState.Backoff);
            Assert.Equal(failures, status.Attempts);
            Assert.Contains("refused", status.LastError);
            _io.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
            // Full jitter: the retry is due somewhere in [0, ceiling]; at the ceiling it must have happened.
            Scheduler.Advance(policy.Ceiling(failures));
        }

        ExpectOpen();
    }

    [Fact]
    public void A_link_that_stayed_up_for_stable_after_resets_the_backoff()
    {
        Spawn();
        FailAttempts(6);

        var open = ExpectOpen();
        open.Owner.Tell(new Io.LinkUp(open.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(2), null));
        ExpectState(EndpointState.Connected);
        Scheduler.Advance(_settings.Backoff.StableAfter);
        open.Owner.Tell(new Io.LinkDown(open.LinkId, new LinkFailure(LinkFailureCause.PeerClosed, "agent restarted")));
        ExpectState(EndpointState.Backoff);
        // Reset: the first failure after a stable link waits at most min (1 s), not the 60 s cap.
        Scheduler.Advance(_settings.Backoff.Min);
        ExpectOpen();
    }

    [Fact]
    public void A_link_that_drops_before_stable_after_keeps_growing_the_backoff()
    {
        Spawn();
        FailAttempts(6);

        var open = ExpectOpen();
        open.Owner.Tell(new Io.LinkUp(open.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(2), null));
        ExpectState(EndpointState.Connected);
        open.Owner.Tell(new Io.LinkDown(open.LinkId, new LinkFailure(LinkFailureCause.PeerClosed, "flap")));
        var status = ExpectState(EndpointState.Backoff);
        Assert.Equal(7, status.Attempts);
        Assert.True(status.NextRetryAt is not null);
    }

    public enum Stage
    {
        RefusedBeforeTcp,
        FailedDuringHandshake,
        DroppedAfterUp,
        NoAnswerAtAll,
        AnswerForAnOldAttempt,
    }

    [Theory]
    [InlineData(Stage.RefusedBeforeTcp)]
    [InlineData(Stage.FailedDuringHandshake)]
    [InlineData(Stage.DroppedAfterUp)]
    [InlineData(Stage.NoAnswerAtAll)]
    [InlineData(Stage.AnswerForAnOldAttempt)]
    public void Whatever_fails_at_whatever_stage_another_attempt_is_always_pending(Stage stage)
    {
        Spawn();
        var open = ExpectOpen();
        switch (stage)
        {
            case Stage.RefusedBeforeTcp:
                Fail(open);
                break;
            case Stage.FailedDuringHandshake:
                Fail(open, afterTcp: true);
                break;
            case Stage.DroppedAfterUp:
                open.Owner.Tell(new Io.LinkUp(open.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(2), null));
                ExpectState(EndpointState.Connected);
                open.Owner.Tell(new Io.LinkDown(open.LinkId, new LinkFailure(LinkFailureCause.Reset, "reset")));
                break;
            case Stage.NoAnswerAtAll:
                // The IO actor lost the attempt (say, it restarted): only the watchdog can end it.
                Scheduler.Advance(_settings.Connection.ConnectTimeout * 2 + _settings.Connection.HandshakeTimeout + TimeSpan.FromSeconds(5));
                break;
            case Stage.AnswerForAnOldAttempt:
                ExpectState(EndpointState.Connecting);
                open.Owner.Tell(new Io.LinkFailed(open.LinkId + 1000, new LinkFailure(LinkFailureCause.Refused, "stale"), false));
                _supervisor.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
                Fail(open);
                break;
        }

        var backoff = ExpectState(EndpointState.Backoff);
        if (stage == Stage.NoAnswerAtAll)
        {
            Assert.Contains("watchdog", backoff.LastError);
        }

        Scheduler.Advance(_settings.Backoff.Max);
        var next = ExpectOpen();
        Assert.NotEqual(open.LinkId, next.LinkId);
    }

    [Fact]
    public void A_late_link_up_for_an_abandoned_attempt_is_aborted_not_adopted()
    {
        Spawn();
        var open = ExpectOpen();
        Scheduler.Advance(_settings.Connection.ConnectTimeout * 2 + _settings.Connection.HandshakeTimeout + TimeSpan.FromSeconds(5));
        ExpectState(EndpointState.Backoff);
        var late = CreateTestProbe();
        open.Owner.Tell(new Io.LinkUp(open.LinkId, late.Ref, Info(), TimeSpan.FromSeconds(30), null));
        Assert.Equal(open.LinkId, late.ExpectMsg<Io.AbortLink>().LinkId);
    }

    [Fact]
    public void Handshakes_beyond_the_admission_cap_wait_and_are_served_in_order()
    {
        var a = Spawn("agent-00001");
        var openA = ExpectOpen();
        var b = Spawn("agent-00002");
        var openB = ExpectOpen();
        // Actors start concurrently; wait for each request so the queue order is the order under test.
        Spawn("agent-00003");
        AwaitCondition(() => _gate.Queued == 1, TimeSpan.FromSeconds(3));
        Spawn("agent-00004");
        AwaitCondition(() => _gate.Queued == 2, TimeSpan.FromSeconds(3));
        // Cap is 2: the third and fourth stay queued while two handshakes are in flight.
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, _gate.Active);
        Assert.Equal(2, _gate.Queued);

        openB.Owner.Tell(new Io.LinkUp(openB.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(1), null));
        Assert.Equal("agent-00003", ExpectOpen().EndpointName);
        Fail(openA);
        Assert.Equal("agent-00004", ExpectOpen().EndpointName);
        _io.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
    }

    [Fact]
    public void Time_spent_queued_does_not_count_against_the_handshake()
    {
        Spawn("agent-00001");
        Spawn("agent-00002");
        var first = ExpectOpen();
        ExpectOpen();
        var queued = Spawn("agent-00003");
        AwaitCondition(() => _gate.Queued == 1, TimeSpan.FromSeconds(3));
        // Longer than connect + handshake timeouts together: a queued endpoint has started no attempt,
        // so it has no deadline running and does not fail for having waited.
        Scheduler.Advance(_settings.Connection.ConnectTimeout + _settings.Connection.HandshakeTimeout + TimeSpan.FromSeconds(5));
        first.Owner.Tell(new Io.LinkUp(first.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(1), null));
        var open = ExpectOpen();
        Assert.Equal("agent-00003", open.EndpointName);
        Assert.Equal(queued, open.Owner);
        var changes = _supervisor.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => (EndpointStateChanged)m);
        Assert.DoesNotContain(changes, c => c.Endpoint == "agent-00003" && c.State == EndpointState.Backoff);
    }

    [Fact]
    public void Sends_while_down_are_queued_and_delivered_in_order_once_up()
    {
        var endpoint = Spawn();
        var open = ExpectOpen();
        for (var i = 0; i < 3; i++)
        {
            endpoint.Tell(new Send("agent-00001", new[] { (byte)i }), TestActor);
        }

        open.Owner.Tell(new Io.LinkUp(open.LinkId, _io.Ref, Info(), TimeSpan.FromMilliseconds(1), null));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(i, _io.ExpectMsg<Io.WriteFrame>().Payload.Span[0]);
        }
    }

    [Fact]
    public void A_full_send_queue_answers_with_send_failed()
    {
        var endpoint = Spawn();
        ExpectOpen();
        for (var i = 0; i < _settings.Connection.SendQueueSize; i++)
        {
            endpoint.Tell(new Send("agent-00001", new byte[] { 1 }), TestActor);
        }

        endpoint.Tell(new Send("agent-00001", new byte[] { 2 }), TestActor);
        var failed = ExpectMsg<SendFailed>();
        Assert.Equal(2, failed.Payload.Span[0]);
        Assert.Contains("full", failed.Reason);
    }

    [Fact]
    public void A_message_queued_longer_than_send_timeout_is_answered_with_send_failed_in_order_and_the_rest_wait()
    {
        var timeout = _settings.Connection.SendTimeout!.Value;
        var endpoint = Spawn();
        ExpectOpen();

        // Each Send must be queued (and the deadline ticking) before virtual time moves; the TestScheduler
        // fires a periodic timer once per Advance, so time moves a quarter of send-timeout at a time.
        endpoint.Tell(new Send("agent-00001", new byte[] { 1 }), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AdvanceQuarters(timeout, 2);
        endpoint.Tell(new Send("agent-00001", new byte[] { 2 }), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Expiry comes after send-timeout, at most a quarter later.
        AdvanceQuarters(timeout, 2);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AdvanceQuarters(timeout, 1);
        var first = ExpectMsg<SendFailed>();
        Assert.Equal(1, first.Payload.Span[0]);
        Assert.Contains("send-timeout", first.Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // The younger one waits its own whole send-timeout.
        AdvanceQuarters(timeout, 1);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AdvanceQuarters(timeout, 1);
        Assert.Equal(2, ExpectMsg<SendFailed>().Payload.Span[0]);
        AdvanceQuarters(timeout, 5);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private void AdvanceQuarters(TimeSpan timeout, int quarters)
    {
        for (var i = 0; i < quarters; i++)
        {
            Scheduler.Advance(timeout / 4);
        }
    }

    [Fact]
    public void Retiring_fails_every_queued_send_and_releases_the_slot()
    {
        var endpoint = Spawn();
        ExpectOpen();
        endpoint.Tell(new Send("agent-00001", new byte[] { 9 }), TestActor);
        endpoint.Tell(new EndpointActor.Retire("removed", ForgetSessions: true));
        Assert.Contains("removed", ExpectMsg<SendFailed>().Reason);
        AwaitCondition(() => _gate.Active == 0, TimeSpan.FromSeconds(3));
    }
}
