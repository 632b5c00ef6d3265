using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Supervision;
using Switchboard.Testing.Fleet;
using Switchboard.Testing.Pki;
using Switchboard.Tests.Stress;
using Switchboard.Tls;
using Xunit.Abstractions;

namespace Switchboard.Tests.Security;

/// <summary>
/// An unauthenticated ClientHello flood against the master's listener while its outbound endpoints
/// reconnect. Each flood connection costs us a signature and then stalls, which is what an attacker who
/// wants to spend our CPU and slots would do. Inbound handshakes take admission slots within their share
/// and each source address has its own cap, so the outbound storm finishes as it would alone and another
/// address still gets in.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class InboundFloodSpec : TestKit, IAsyncLifetime
{
    private const int Endpoints = 2000;
    private const int Flood = 2000;
    private const int PerAddressCap = 32;
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.3");

    private readonly ITestOutputHelper _output;
    private AgentFleet _fleet = null!;

    public InboundFloodSpec(ITestOutputHelper output)
        : base(StressConfig.Master($"switchboard.listener {{ host = \"127.0.0.1\", max-pending-per-address = {PerAddressCap} }}"), output: output)
    {
        _output = output;
    }

    public async Task InitializeAsync() =>
        _fleet = await AgentFleet.StartAsync(StressPki.Layout, Endpoints, port: 0, extraConfig: StressConfig.Fleet);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_ClientHello_flood_from_one_address_neither_delays_the_outbound_reconnects_nor_shuts_out_other_addresses()
    {
        var settings = SettingsLoader.Load(Sys.Settings.Config) with { Endpoints = [.. _fleet.Endpoints()] };
        var runtime = SwitchboardRuntime.Start(Sys, settings);
        await this.Until(runtime.Supervisor, s => s.Connected == Endpoints, TimeSpan.FromSeconds(60), "all endpoints connect");
        var listener = runtime.Listener!;

        using var flood = new ClientHelloFlood(listener.Address, Attacker, ClientHello());
        var clock = Stopwatch.StartNew();
        _fleet.DropAllLinks();
        var flooding = flood.RunAsync(Flood);

        // While the flood runs, an agent from another address connects to the listener.
        var context = TlsContext.CreateClient(new TlsContextOptions(StressPki.Layout.CaCertificate,
            StressPki.Layout.AgentCertificate("agent-00001"), StressPki.Layout.AgentKey("agent-00001")));
        var neighbourClock = Stopwatch.StartNew();
        using (var neighbour = await TlsClientPeer.ConnectAsync(listener.Address, context, PkiLayout.MasterName, StressConfig.HandshakeTimeout * 2, Neighbour))
        {
            Assert.True(neighbour.Handshake is not null, $"the neighbour's handshake failed during the flood: {neighbour.Failure}");
        }

        var neighbourTook = neighbourClock.Elapsed;
        using var watching = new CancellationTokenSource();
        var peakPending = WatchPendingAsync(listener, watching.Token);
        var healed = await this.Until(runtime.Supervisor,
            s => s.Connected == Endpoints && s.FullHandshakes + s.ResumedHandshakes == 2 * Endpoints,
            TimeSpan.FromSeconds(60), "every endpoint reconnects during the flood");
        var drop = clock.Elapsed;
        await flooding;
        await watching.CancelAsync();

        _output.WriteLine($"agent drop healed in {drop.TotalSeconds:0.00} s during the flood; neighbour in {neighbourTook.TotalMilliseconds:0} ms; flood: {flood.Summary()}; peak pending {await peakPending}");
        Assert.Equal(0, healed.FailedHandshakes);
        Assert.DoesNotContain(healed.Endpoints, e => e.LastError?.StartsWith("handshake_timeout", StringComparison.Ordinal) == true);
        Assert.All(healed.Endpoints, e => Assert.Equal(2, e.FullHandshakes + e.ResumedHandshakes));
        // The attacker never held more than its address's share of the listener, and the rest was refused.
        Assert.InRange(flood.MostOpenAtOnce, 1, PerAddressCap + 2); // +2: a reset may not have reached us yet
        // Refused means closed by the server without a ServerHello, so without a signature spent on it; how
        // soon depends on the machine's load (a full accept backlog delays even the refusal), so it is only
        // reported. An admitted one holds its slot until the handshake timeout cuts it, so over the flood's
        // span the address gets at most its cap once per timeout, plus the first round.
        var admissionRounds = (int)Math.Ceiling(flood.Span / StressConfig.HandshakeTimeout) + 1;
        Assert.True(Flood - flood.Refused <= PerAddressCap * admissionRounds,
            $"the flood was not refused: {flood.Summary()}, over {flood.Span.TotalSeconds:0.0} s ({admissionRounds} rounds of {PerAddressCap})");
        Assert.Equal(0, flood.HeldToTheEnd);
        Assert.InRange(await peakPending, 0, PerAddressCap + 1); // the flood's, plus the neighbour's
    }

    /// <summary>The most connections the listener held before authentication, polled until cancelled.</summary>
    private static async Task<int> WatchPendingAsync(InboundListener listener, CancellationToken until)
    {
        var peak = 0;
        while (!until.IsCancellationRequested)
        {
            peak = Math.Max(peak, (await listener.StatusAsync()).PendingHandshakes);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), until);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return peak;
    }

    /// <summary>A real ClientHello (it carries no certificate, so whose it is does not matter); replaying it costs the attacker nothing.</summary>
    private static byte[] ClientHello()
    {
        using var context = TlsContext.CreateClient(new TlsContextOptions(StressPki.Layout.CaCertificate,
            StressPki.Layout.AgentCertificate("agent-00002"), StressPki.Layout.AgentKey("agent-00002")));
        return TlsClientPeer.ClientHello(context, PkiLayout.MasterName);
    }

    /// <summary>
    /// Connections from one source address, each sending the same ClientHello and then nothing, watched
    /// until the server closes them. Every connection's life is bounded by the server's deadlines and the
    /// spec's own timeout.
    /// </summary>
    private sealed class ClientHelloFlood(IPEndPoint target, IPAddress from, byte[] hello) : IDisposable
    {
        private readonly List<Socket> _sockets = [];
        private int _open;
        private long _mostOpen;
        private int _refused;
        private int _cut;
        private int _heldToTheEnd;
        private long _slowestRefusalTicks;

        public int MostOpenAtOnce => (int)Volatile.Read(ref _mostOpen);

        /// <summary>From the first connect to the last connection's end.</summary>
        public TimeSpan Span { get; private set; }

        /// <summary>Closed by the server before it answered anything.</summary>
        public int Refused => Volatile.Read(ref _refused);

        /// <summary>Still open when the flood's own timeout ended it: the server neither refused nor cut it.</summary>
        public int HeldToTheEnd => Volatile.Read(ref _heldToTheEnd);

        public async Task RunAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var clock = Stopwatch.StartNew();
            var connections = new List<Task>(count);
            for (var i = 0; i < count; i++)
            {
                connections.Add(OneAsync(timeout.Token));
            }

            await Task.WhenAll(connections);
            Span = clock.Elapsed;
        }

        public string Summary() =>
            $"{_sockets.Count} connections, {Refused} refused unanswered (slowest after {TimeSpan.FromTicks(Volatile.Read(ref _slowestRefusalTicks)).TotalMilliseconds:0} ms), " +
            $"{Volatile.Read(ref _cut)} answered then cut, {HeldToTheEnd} held to the end, at most {MostOpenAtOnce} answered at once";

        public void Dispose()
        {
            lock (_sockets)
            {
                foreach (var socket in _sockets)
                {
                    socket.Dispose();
                }
            }
        }

        private async Task OneAsync(CancellationToken token)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            lock (_sockets)
            {
                _sockets.Add(socket);
            }

            var clock = Stopwatch.StartNew();
            var answered = false;
            var held = false;
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(target, token);
                await socket.SendAsync(hello, SocketFlags.None, token);
                var buffer = new byte[4096];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
                {
                    if (!answered)
                    {
                        // The server admitted this one: it signed a ServerHello for us.
                        answered = true;
                        var open = Interlocked.Increment(ref _open);
                        InterlockedMax(ref _mostOpen, open);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                held = true;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                if (answered)
                {
                    Interlocked.Decrement(ref _open);
                }

                if (held)
                {
                    Interlocked.Increment(ref _heldToTheEnd);
                }
                else if (answered)
                {
                    Interlocked.Increment(ref _cut);
                }
                else
                {
                    Interlocked.Increment(ref _refused);
                    InterlockedMax(ref _slowestRefusalTicks, clock.Elapsed.Ticks);
                }
            }
        }

        private static void InterlockedMax(ref long target, long value)
        {
            var current = Volatile.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            {
                current = seen;
            }
        }
    }
}
