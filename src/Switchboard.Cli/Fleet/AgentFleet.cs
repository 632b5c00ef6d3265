using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Pki;
using Switchboard.Tls;

namespace Switchboard.Cli.Fleet;

/// <summary>
/// N echoing agents in one process, each with its own certificate, address and server context, sharing
/// one IO-actor pool. It is what <c>switchboard agents</c>, the demo, the tests and the benchmarks
/// connect to.
/// </summary>
internal sealed class AgentFleet : IAsyncDisposable
{
    private readonly List<IActorRef> _listeners = [];
    private IReadOnlyList<IPEndPoint> _addresses = [];

    private AgentFleet(ActorSystem system, PkiLayout pki, int port)
    {
        System = system;
        Pki = pki;
        Port = port;
    }

    public ActorSystem System { get; }

    public PkiLayout Pki { get; }

    public int Port { get; }

    public int Count => _listeners.Count;

    public IReadOnlyList<IActorRef> Listeners => _listeners;

    public static async Task<AgentFleet> StartAsync(PkiLayout pki, int count, int port = AgentAddresses.DefaultPort, string? extraConfig = null, TlsVersion maxVersion = TlsVersion.Tls13)
    {
        var config = ConfigurationFactory.ParseString(extraConfig ?? string.Empty)
            .WithFallback(FleetConfig(pki))
            .WithFallback(SettingsLoader.LoadReference());
        var system = ActorSystem.Create("agents", config);
        var fleet = new AgentFleet(system, pki, port);
        try
        {
            var settings = SettingsLoader.Load(config);
            var io = SwitchboardRuntime.StartIoPool(system, settings, "agents-io");
            var bound = new List<Task<ListenerActor.Bound>>();
            for (var i = 0; i < count; i++)
            {
                var name = PkiLayout.AgentName(i);
                var context = TlsContext.CreateServer(new TlsContextOptions(pki.CaCertificate, pki.AgentCertificate(name), pki.AgentKey(name), Max: maxVersion));
                var options = new ListenerOptions(new IPEndPoint(AgentAddresses.For(i), port), context, InboundHandler.EchoFrames,
                    settings.Listener.MaxPendingHandshakes, settings.Listener.Backlog);
                var listener = system.ActorOf(ListenerActor.Props(options, io), name);
                fleet._listeners.Add(listener);
                bound.Add(listener.Ask<ListenerActor.Bound>(new ListenerActor.GetBound(), TimeSpan.FromSeconds(30)));
            }

            fleet._addresses = (await Task.WhenAll(bound)).Select(b => b.Address).ToArray();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>The endpoints a master would configure for this fleet, with the ports actually bound (port 0 = any).</summary>
    public IReadOnlyList<EndpointSettings> Endpoints() =>
        _addresses.Select((address, i) => new EndpointSettings(PkiLayout.AgentName(i), address.Address.ToString(), address.Port)).ToArray();

    /// <summary>The endpoints a master would configure for a fleet on a fixed port.</summary>
    public static IEnumerable<EndpointSettings> Endpoints(int count, int port = AgentAddresses.DefaultPort) =>
        Enumerable.Range(0, count).Select(i => new EndpointSettings(PkiLayout.AgentName(i), AgentAddresses.For(i).ToString(), port));

    /// <summary>Makes every agent drop its links at once (the demo's and storm's "agentdrop" phase).</summary>
    public void DropAllLinks()
    {
        foreach (var listener in _listeners)
        {
            listener.Tell(new ListenerActor.DropLinks());
        }
    }

    public async ValueTask DisposeAsync() => await System.Terminate();

    private static Config FleetConfig(PkiLayout pki) => ConfigurationFactory.ParseString($$"""
        switchboard.tls {
          ca = "{{pki.CaCertificate}}"
          certificate = "{{pki.MasterCertificate}}"
          private-key = "{{pki.MasterKey}}"
        }
        akka.loglevel = WARNING
        """);
}
