using System.Net;
using Akka.Actor;
using Akka.Routing;
using Switchboard.Configuration;
using Switchboard.IO.Delivery;
using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.IO;

/// <summary>
/// The fixed pool of IO actors on their dedicated dispatcher: they own every link's socket and TLS state.
/// A <see cref="SwitchboardRuntime"/> starts its own. Start one yourself to accept links on addresses and
/// identities of your choosing (<see cref="ListenAsync"/>), or to probe a peer (<see cref="Diagnostics.Probe"/>).
/// </summary>
public sealed class IoPool
{
    private static long _listeners;
    private readonly ActorSystem _system;
    private readonly SwitchboardSettings _settings;

    private IoPool(ActorSystem system, SwitchboardSettings settings, IActorRef router)
    {
        _system = system;
        _settings = settings;
        Router = router;
    }

    /// <summary>The pool's router: consistent hashing on the endpoint name pins each endpoint to one actor.</summary>
    internal IActorRef Router { get; }

    internal ActorSystem System => _system;

    internal SwitchboardSettings Settings => _settings;

    /// <summary>
    /// Starts <c>switchboard.io.actors</c> IO actors (one per core by default) on dispatcher
    /// <c>switchboard.io.dispatcher</c>, with the deadlines and sizes of <paramref name="settings"/>.
    /// </summary>
    public static IoPool Start(ActorSystem system, SwitchboardSettings settings, string name = "switchboard-io")
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        Dispatchers.RegisterIo(system, settings.Io.Actors, settings.Io.EpollReactor);
        var router = system.ActorOf(
            IoActor.Props(settings.Io, settings.Connection)
                .WithDispatcher(Dispatchers.Io)
                .WithRouter(new ConsistentHashingPool(settings.Io.Actors)),
            name);
        return new IoPool(system, settings, router);
    }

    /// <summary>
    /// Accepts links on <paramref name="address"/>, presenting the identity in <paramref name="tls"/> and
    /// requiring peers' certificates from its CA; their events go to <paramref name="handler"/>. Limits and
    /// deadlines are those of the pool's settings (<c>switchboard.listener</c>, <c>switchboard.connection</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The address cannot be listened on.</exception>
    /// <exception cref="TlsConfigurationException">The TLS material cannot be loaded.</exception>
    public InboundListener Listen(IPEndPoint address, TlsSettings tls, InboundHandler handler)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(handler);
        return Listen(address, ServerContext(tls, serverSessions: null), handler);
    }

    /// <summary>Accepts links on <paramref name="address"/> with a server context made and tuned by the caller.</summary>
    internal InboundListener Listen(IPEndPoint address, TlsContext context, InboundHandler handler) =>
        Listen(address, context, handler, $"listener-{Interlocked.Increment(ref _listeners)}");

    /// <summary>A server context for this pool's settings: tickets when resumption is on, acknowledgements as configured.</summary>
    internal TlsContext ServerContext(TlsSettings tls, IServerSessionCache? serverSessions) =>
        TlsContext.CreateServer(TlsContextOptions.From(tls, _settings.Connection.Acknowledgements) with { SessionTickets = _settings.Resumption.Enabled }, serverSessions);

    internal InboundListener Listen(IPEndPoint address, TlsContext context, InboundHandler handler, string name, Supervision.AdmissionGate? gate = null)
    {
        var listener = _settings.Listener;
        var options = new ListenerOptions(address, context, handler, listener.MaxPendingHandshakes, listener.Backlog, listener.MaxPendingPerAddress,
            gate, _settings.Admission.InboundShare, _settings.Connection.HandshakeTimeout);
        var actor = _system.ActorOf(ListenerActor.Props(options, Router, out var bound), name);
        return new InboundListener(actor, bound);
    }
}

/// <summary>A listener started with <see cref="IoPool.Listen"/>.</summary>
public sealed class InboundListener
{
    internal InboundListener(IActorRef actor, IPEndPoint address)
    {
        Actor = actor;
        Address = address;
    }

    /// <summary>The address bound (a port 0 asked for becomes the real port).</summary>
    public IPEndPoint Address { get; }

    internal IActorRef Actor { get; }

    /// <summary>Handshakes still in progress and links up, as the listener counts them now.</summary>
    public Task<ListenerStatus> StatusAsync(TimeSpan? timeout = null) =>
        Actor.Ask<ListenerStatus>(ListenerActor.GetStatus.Instance, timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Stops accepting. Links already accepted live on until they close.</summary>
    public void Stop() => Actor.Tell(PoisonPill.Instance);
}

/// <summary>What a listener counts.</summary>
/// <param name="PendingHandshakes">Accepted connections still before authentication (bounded by <c>listener.max-pending-handshakes</c>).</param>
/// <param name="Links">Links whose handshake completed and that are still up.</param>
public sealed record ListenerStatus(int PendingHandshakes, int Links);
