using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Tests.Support;
using Switchboard.Tls;
using Xunit.Abstractions;

namespace Switchboard.Tests.Stress;

/// <summary>
/// Inbound hardening: a listener under a slowloris flood, garbage before and after the handshake, an
/// oversized frame, and a client certificate from an unknown CA. Each bad connection is closed alone,
/// with a named reason, while a healthy link on the same listener stays up.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class ListenerHardeningSpec : TestKit, IAsyncLifetime
{
    private const int PendingCap = 16;
    private const string AgentName = "agent-00000";

    private readonly ITestOutputHelper _output;
    private readonly SwitchboardSettings _settings;
    private readonly TestProbe _owner;
    private readonly InboundListener _listener;
    private IPEndPoint _address = null!;

    public ListenerHardeningSpec(ITestOutputHelper output) : base(StressConfig.Master(), output: output)
    {
        _output = output;
        _settings = SettingsLoader.Load(Sys.Settings.Config);
        _owner = CreateTestProbe();
        var pki = StressPki.Layout;
        var io = IoPool.Start(Sys, _settings with { Listener = _settings.Listener with { MaxPendingHandshakes = PendingCap } }, "listener-io");
        var tls = _settings.Tls with { Certificate = pki.AgentCertificate(AgentName), PrivateKey = pki.AgentKey(AgentName) };
        _listener = io.Listen(new IPEndPoint(IPAddress.Loopback, 0), tls, new ForwardingHandler(_owner.Ref, echo: true));
        _address = _listener.Address;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_slowloris_flood_is_cut_at_the_pre_auth_deadline_and_never_exceeds_the_pending_cap()
    {
        using var attack = new SlowlorisAttack(_address);
        await attack.OpenAsync(PendingCap / 2);
        await AwaitPending(PendingCap / 2);

        // Slots are still free: a healthy client gets in while the first wave waits for its deadline.
        var runtime = StartMaster();
        await this.Until(runtime.Supervisor, s => s.Connected == 1, StressConfig.HandshakeTimeout, "the healthy client connects meanwhile");
        Assert.Equal(PendingCap / 2, await Pending());

        // The flood: beyond the cap, connections are refused at once.
        await attack.OpenAsync(60);
        var peak = 0;
        await AwaitAssertAsync(async () =>
        {
            peak = Math.Max(peak, await Pending());
            Assert.True(attack.AllClosed, $"the listener left slowloris connections open: {attack.Summary()}");
        }, StressConfig.HandshakeTimeout * 3, TimeSpan.FromMilliseconds(20));
        _output.WriteLine($"pending peak {peak}; {attack.Summary()}");
        Assert.InRange(peak, 1, PendingCap);
        // Refused on accept, not cut by the pre-auth deadline: closed before that deadline could have passed
        // (how much sooner depends on the machine's load).
        Assert.True(attack.ClosedWithin(StressConfig.HandshakeTimeout - TimeSpan.FromMilliseconds(200)) >= attack.Count - PendingCap,
            $"over-cap connections were not refused at once: {attack.Summary()}");
        // The first wave held its slots until the pre-auth deadline and was cut soon after; the upper
        // bounds leave room for a loaded machine, still far below a connection left open.
        Assert.All(attack.Lifetimes.Take(PendingCap / 2), lifetime => Assert.InRange(lifetime, StressConfig.HandshakeTimeout - TimeSpan.FromMilliseconds(200), StressConfig.HandshakeTimeout + TimeSpan.FromSeconds(3)));
        Assert.All(attack.Lifetimes, lifetime => Assert.True(lifetime < StressConfig.HandshakeTimeout + TimeSpan.FromSeconds(3), $"a connection lived {lifetime.TotalSeconds:0.00} s"));
        Assert.Equal(0, await Pending());

        var status = await StatusPolling.Status(runtime.Supervisor);
        Assert.Equal(EndpointState.Connected, status.Endpoints[0].State);
        Assert.Equal(1, status.Endpoints[0].FullHandshakes + status.Endpoints[0].ResumedHandshakes);
    }

    [Fact]
    public async Task Garbage_before_and_after_the_handshake_and_an_oversized_frame_close_only_that_link_with_a_named_reason()
    {
        using var failures = new InboundFailures();
        var runtime = StartMaster();
        await this.Until(runtime.Supervisor, s => s.Connected == 1, TimeSpan.FromSeconds(5), "the healthy link comes up");
        var healthy = _owner.ExpectMsg<ForwardingHandler.Up>(TimeSpan.FromSeconds(5));

        // Garbage before the handshake: closed, counted as a protocol failure.
        using (var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await raw.ConnectAsync(_address);
            var garbage = new byte[512];
            new Random(7).NextBytes(garbage);
            garbage[0] = 0x47; // not a TLS record type
            await raw.SendAsync(garbage, SocketFlags.None);
            await AwaitClosed(raw, TimeSpan.FromSeconds(2));
        }

        await AwaitAsync(() => failures.Count("protocol") == 1, "the garbage link counted as an inbound protocol failure");

        // Garbage after the handshake: raw bytes where TLS records belong.
        using (var peer = await Client(StressPki.Layout.MasterCertificate, StressPki.Layout.MasterKey))
        {
            Assert.NotNull(peer.Handshake);
            var up = _owner.ExpectMsg<ForwardingHandler.Up>(TimeSpan.FromSeconds(5));
            await peer.SendRawAsync([0x17, 0x03, 0x03, 0x00, 0x10, .. new byte[16]]); // a record that fails to decrypt
            var down = _owner.ExpectMsg<Io.LinkDown>(TimeSpan.FromSeconds(5));
            Assert.Equal(up.LinkId, down.LinkId);
            Assert.Equal(LinkFailureCause.Protocol, down.Failure.Cause);
            _output.WriteLine($"garbage after the handshake: {down.Failure}");
        }

        // An oversized frame: a length header above max-frame-size, sent properly encrypted.
        using (var peer = await Client(StressPki.Layout.MasterCertificate, StressPki.Layout.MasterKey))
        {
            var up = _owner.ExpectMsg<ForwardingHandler.Up>(TimeSpan.FromSeconds(5));
            var header = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, _settings.Io.MaxFrameSize + 1);
            await peer.SendAsync(header);
            var down = _owner.ExpectMsg<Io.LinkDown>(TimeSpan.FromSeconds(5));
            Assert.Equal(up.LinkId, down.LinkId);
            Assert.Equal(LinkFailureCause.FrameTooLarge, down.Failure.Cause);
            Assert.Contains("max-frame-size", down.Failure.Reason);
            Assert.Equal("close_notify", await peer.ClosedByServerAsync(TimeSpan.FromSeconds(2)));
            _output.WriteLine($"oversized frame: {down.Failure}");
        }

        // The healthy link saw none of it: same link, one handshake, still echoing.
        _owner.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        runtime.Supervisor.Tell(new Subscribe(TestActor));
        runtime.Supervisor.Tell(new Send(AgentName, new byte[] { 1, 2, 3 }), TestActor);
        Assert.Equal(new byte[] { 1, 2, 3 }, ExpectMsg<Received>(TimeSpan.FromSeconds(5)).Payload);
        var status = await StatusPolling.Status(runtime.Supervisor);
        Assert.Equal(1, status.Endpoints[0].FullHandshakes + status.Endpoints[0].ResumedHandshakes);
        Assert.Equal(1, (await _listener.StatusAsync()).Links);
        Assert.NotEqual(default, healthy.LinkId);
    }

    [Fact]
    public async Task Frames_read_with_the_peers_close_notify_are_delivered_and_their_answers_dropped_without_an_internal_error()
    {
        using var failures = new InboundFailures();
        using var peer = await Client(StressPki.Layout.MasterCertificate, StressPki.Layout.MasterKey);
        var up = _owner.ExpectMsg<ForwardingHandler.Up>(TimeSpan.FromSeconds(5));

        // The handler echoes the frame from inside OnFrame, after TLS has already read the close_notify
        // behind it: the link can no longer encrypt, which is the link going down, not a bug in the IO actor.
        await EventFilter.Error().ExpectAsync(0, async () =>
        {
            await peer.SendThenCloseAsync(TlsClientPeer.Frame([7, 7, 7]));
            Assert.Equal(new byte[] { 7, 7, 7 }, _owner.ExpectMsg<Io.FrameReceived>(TimeSpan.FromSeconds(5)).Payload);
            var down = _owner.ExpectMsg<Io.LinkDown>(TimeSpan.FromSeconds(5));
            Assert.Equal((up.LinkId, LinkFailureCause.PeerClosed), (down.LinkId, down.Failure.Cause));
        }, TimeSpan.FromSeconds(1));
        Assert.Equal(0, failures.Count("internal"));
    }

    [Fact]
    public async Task A_client_certificate_from_an_unknown_CA_is_refused()
    {
        using var failures = new InboundFailures();
        var (certificate, key) = TestPki.Instance.UntrustedMaster;
        using var peer = await Client(certificate, key);
        // TLS 1.3 clients finish before the server has judged their certificate; the verdict follows as an alert.
        var how = await peer.ClosedByServerAsync(TimeSpan.FromSeconds(3));
        _output.WriteLine($"untrusted client: {how}; inbound failures: {string.Join(", ", failures.Causes)}");
        Assert.StartsWith("TLS failure", how);
        await AwaitAsync(() => failures.Count("certificate") == 1, "the refusal counted as an inbound certificate failure");
        _owner.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // never reported up
        Assert.Equal(0, (await _listener.StatusAsync()).Links);
    }

    private SwitchboardRuntime StartMaster() =>
        SwitchboardRuntime.Start(Sys, _settings with { Endpoints = [new EndpointSettings(AgentName, _address.Address.ToString(), _address.Port)] });

    private async Task<TlsClientPeer> Client(string certificate, string key)
    {
        var context = TlsContext.CreateClient(new TlsContextOptions(StressPki.Layout.CaCertificate, certificate, key));
        return await TlsClientPeer.ConnectAsync(_address, context, AgentName, TimeSpan.FromSeconds(5));
    }

    private async Task<int> Pending() => (await _listener.StatusAsync()).PendingHandshakes;

    private async Task AwaitPending(int expected)
    {
        await AwaitAsync(async () => await Pending() == expected, $"{expected} handshakes pending");
    }

    private static async Task AwaitClosed(Socket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // reset: closed too
        }
    }

    private Task AwaitAsync(Func<bool> condition, string what) =>
        AwaitAssertAsync(() => Assert.True(condition(), what), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));

    private Task AwaitAsync(Func<Task<bool>> condition, string what) =>
        AwaitAssertAsync(async () => Assert.True(await condition(), what), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(20));
}
