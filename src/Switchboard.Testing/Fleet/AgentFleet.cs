using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Testing.Pki;
using Switchboard.Tls;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// N echoing agents in one process, each with its own certificate, address and server context, sharing
/// one IO-actor pool. It is what <c>switchboard agents</c>, the demo, the tests and the benchmarks
/// connect to. With a <see cref="FaultSpec"/>, a deterministic, evenly spread share of them misbehaves
/// (see <see cref="FaultMode"/>); the rest stay healthy.
/// </summary>
public sealed class AgentFleet : IAsyncDisposable
{
    private readonly List<InboundListener> _listeners = [];
    private readonly List<AgentHandler> _handlers = [];
    private readonly List<RawFaultAgent> _rawAgents = [];
    private readonly bool[] _faulty;
    private IReadOnlyList<IPEndPoint> _addresses = [];
    private FaultCertificates? _certificates;

    private AgentFleet(ActorSystem system, PkiLayout pki, int port, int count, FaultSpec? faults, int first, int total)
    {
        System = system;
        Pki = pki;
        Port = port;
        Faults = faults;
        First = first;
        Total = total;
        _faulty = new bool[count];
        for (var i = 0; i < count && faults is not null; i++)
        {
            // Spread over the whole fleet, so the slices of a split fleet together misbehave like one fleet.
            _faulty[i] = faults.IsFaulty(first + i, total);
        }

        FaultyIndices = Enumerable.Range(0, count).Where(i => _faulty[i]).Select(i => first + i).ToArray();
    }

    public ActorSystem System { get; }

    public PkiLayout Pki { get; }

    public int Port { get; }

    public int Count => _addresses.Count;

    /// <summary>Index of this process's first agent: a fleet too big for one process runs as slices.</summary>
    public int First { get; }

    /// <summary>Agents in the whole fleet, of which this process runs <see cref="Count"/> from <see cref="First"/>.</summary>
    public int Total { get; }

    /// <summary>The listeners of the agents that speak real TLS (healthy, certificate faults, flap, silent).</summary>
    public IReadOnlyList<InboundListener> Listeners => _listeners;

    /// <summary>Application frames the agents have received so far (heartbeats and dropped resent copies excluded).</summary>
    public long ReceivedFrames => _handlers.Sum(h => h.Received);

    /// <summary>Links the agents hold up right now.</summary>
    public int Links => _handlers.Sum(h => h.Links);

    /// <summary>Links each agent holds up right now, in the fleet's order: a master cluster must hold exactly one to each.</summary>
    public IReadOnlyList<int> LinksPerAgent() => [.. _handlers.Select(h => h.Links)];

    public FaultSpec? Faults { get; }

    /// <summary>Indexes (in the whole fleet) of the misbehaving agents, ascending.</summary>
    public IReadOnlyList<int> FaultyIndices { get; }

    /// <summary>Unexpected exceptions inside raw fault agents (bugs, never the peer's doing).</summary>
    public long FaultAgentErrors => _rawAgents.Sum(a => a.InternalErrors);

    public string? LastFaultAgentError => _rawAgents.Select(a => a.LastInternalError).FirstOrDefault(e => e is not null);

    /// <summary>Connections the raw fault agents hold open right now.</summary>
    public int FaultAgentConnections => _rawAgents.Sum(a => a.OpenConnections);

    /// <param name="preferPskKe">The healthy agents resume TLS 1.3 by psk_ke when a master offers it
    /// (<see cref="PskKePreference"/>), as agents on OpenSSL 3.3+ can be told to.</param>
    public static async Task<AgentFleet> StartAsync(
        PkiLayout pki,
        int count,
        int port = AgentAddresses.DefaultPort,
        string? extraConfig = null,
        TlsVersion maxVersion = TlsVersion.Tls13,
        FaultSpec? faults = null,
        Func<int, FrameObserver>? observe = null,
        int first = 0,
        int? total = null,
        bool preferPskKe = false)
    {
        faults?.Validate();
        if (first < 0 || first + count > (total ?? first + count))
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"agents {first}..{first + count - 1} are not in a fleet of {total}");
        }

        var config = ConfigurationFactory.ParseString(extraConfig ?? string.Empty)
            .WithFallback(FleetConfig(pki))
            .WithFallback(SettingsLoader.LoadReference());
        var system = ActorSystem.Create("agents", config);
        var fleet = new AgentFleet(system, pki, port, count, faults, first, total ?? first + count);
        try
        {
            var settings = SettingsLoader.Load(config);
            var io = IoPool.Start(system, settings, "agents-io");
            // Raw fault agents speak plain frames only: behind them sits a listener that decodes no control frames.
            IoPool? plain = null;
            var identities = fleet.Identities(count);
            var bound = new IPEndPoint[count];
            var flapping = new List<AgentHandler>();
            for (var i = 0; i < count; i++)
            {
                var address = new IPEndPoint(AgentAddresses.For(first + i), port);
                var mode = fleet._faulty[i] ? faults!.Mode : (FaultMode?)null;
                var tls = Identity(pki, identities[i], maxVersion);
                if (mode is { } raw && raw.IsRawSocket())
                {
                    // Stall-mid and slow misbehave in front of a real TLS server: one on an ephemeral port beside them.
                    var server = raw is FaultMode.StallMid or FaultMode.Slow
                        ? (plain ??= IoPool.Start(system, BehindRawAgents(settings), "plain-agents-io")).Listen(new IPEndPoint(address.Address, 0), tls, new AgentHandler(silent: false)).Address
                        : null;
                    var agent = RawFaultAgent.Start(address, raw, server, settings.Listener.Backlog);
                    fleet._rawAgents.Add(agent);
                    bound[i] = agent.Address;
                    continue;
                }

                var handler = new AgentHandler(silent: mode == FaultMode.Silent, observe?.Invoke(first + i));
                var listener = preferPskKe ? PskKePreference.Listen(io, address, tls, handler) : io.Listen(address, tls, handler);
                fleet._listeners.Add(listener);
                fleet._handlers.Add(handler);
                if (mode == FaultMode.Flap)
                {
                    flapping.Add(handler);
                }

                bound[i] = listener.Address;
            }

            fleet._addresses = bound;
            if (flapping.Count > 0)
            {
                system.ActorOf(FlapActor.Props(flapping, faults!.FlapPeriod), "flap");
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <param name="index">The agent's index in the whole fleet.</param>
    public bool IsFaulty(int index) => _faulty[index - First];

    /// <summary>The endpoints a master would configure for this fleet, with the ports actually bound (port 0 = any).</summary>
    public IReadOnlyList<EndpointSettings> Endpoints() =>
        _addresses.Select((address, i) => new EndpointSettings(PkiLayout.AgentName(First + i), address.Address.ToString(), address.Port)).ToArray();

    /// <summary>The endpoints of the agents that behave.</summary>
    public IReadOnlyList<EndpointSettings> HealthyEndpoints() => Endpoints().Where((_, i) => !_faulty[i]).ToArray();

    /// <summary>The endpoints of the misbehaving agents.</summary>
    public IReadOnlyList<EndpointSettings> FaultyEndpoints() => Endpoints().Where((_, i) => _faulty[i]).ToArray();

    /// <summary>The endpoints a master would configure for a fleet on a fixed port.</summary>
    public static IEnumerable<EndpointSettings> Endpoints(int count, int port = AgentAddresses.DefaultPort) =>
        Enumerable.Range(0, count).Select(i => new EndpointSettings(PkiLayout.AgentName(i), AgentAddresses.For(i).ToString(), port));

    /// <summary>Makes every agent drop its links at once (the demo's and storm's "agentdrop" phase, SIGUSR1).</summary>
    public void DropAllLinks()
    {
        foreach (var handler in _handlers)
        {
            handler.DropLinks();
        }

        foreach (var agent in _rawAgents)
        {
            agent.DropConnections();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_rawAgents.Select(a => a.DisposeAsync().AsTask()));
        await System.Terminate();
        _certificates?.Dispose();
    }

    /// <summary>Certificate and key per agent; misissued ones are minted here, in parallel (key generation dominates).</summary>
    private (string Certificate, string Key)[] Identities(int count)
    {
        var identities = new (string, string)[count];
        if (Faults?.Mode is FaultMode.WrongIdentity or FaultMode.Expired or FaultMode.Untrusted)
        {
            _certificates = new FaultCertificates(Pki, Total);
        }

        var certificates = _certificates;
        Parallel.For(0, count, i =>
        {
            var name = PkiLayout.AgentName(First + i);
            identities[i] = _faulty[i] && certificates is not null
                ? certificates.For(Faults!.Mode, First + i)
                : (Pki.AgentCertificate(name), Pki.AgentKey(name));
        });
        return identities;
    }

    /// <summary>
    /// The real servers behind stall-mid and slow agents: plain frames (the agent in front decodes no control
    /// frames), and no deadline of their own before the agent's connection lifetime, so the master's
    /// handshake timeout is what ends such a link, as with a peer that really stalls.
    /// </summary>
    private static SwitchboardSettings BehindRawAgents(SwitchboardSettings settings) =>
        settings with { Connection = settings.Connection with { Acknowledgements = false, HandshakeTimeout = RawFaultAgent.MaxConnectionLifetime } };

    private static TlsSettings Identity(PkiLayout pki, (string Certificate, string Key) identity, TlsVersion maxVersion) =>
        new(pki.CaCertificate, identity.Certificate, identity.Key, TlsVersion.Tls12, maxVersion, AllowPskWithoutDhe: false);

    // The fleet's own listeners take their identities per agent; the master identity only completes the
    // settings every Switchboard system is loaded with.
    private static Config FleetConfig(PkiLayout pki) =>
        ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(pki.MasterTlsConfig());
}
