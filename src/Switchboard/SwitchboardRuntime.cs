using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Routing;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard;

/// <summary>
/// Switchboard inside an actor system: the IO-actor pool on its dedicated dispatcher, the resumption
/// cache, and the connection supervisor. Talk to <see cref="Supervisor"/> with <see cref="Send"/>,
/// <see cref="GetStatus"/>, <see cref="AddEndpoint"/>, <see cref="ReplaceEndpoints"/> and <see cref="Subscribe"/>.
/// </summary>
public sealed class SwitchboardRuntime
{
    internal const string IoDispatcherId = "switchboard.io.dispatcher";
    internal const string SupervisorDispatcherId = "switchboard.supervision.supervisor-dispatcher";
    internal const string EndpointDispatcherId = "switchboard.supervision.endpoint-dispatcher";

    private readonly IServerSessionCache? _serverSessions;

    private SwitchboardRuntime(ActorSystem system, SwitchboardSettings settings, IActorRef supervisor, IActorRef ioPool, IActorRef? cache, IActorRef? listener, IServerSessionCache? serverSessions)
    {
        System = system;
        Settings = settings;
        Supervisor = supervisor;
        IoPool = ioPool;
        Cache = cache;
        Listener = listener;
        _serverSessions = serverSessions;
    }

    public ActorSystem System { get; }

    /// <summary>The connection supervisor: the one actor an application talks to.</summary>
    public IActorRef Supervisor { get; }

    internal IActorRef IoPool { get; }

    internal IActorRef? Cache { get; }

    /// <summary>Starts Switchboard from the system's <c>switchboard { }</c> config (reference.conf supplies every default).</summary>
    /// <exception cref="SwitchboardConfigException">The configuration is invalid; the message names each setting's path.</exception>
    public static SwitchboardRuntime Start(ActorSystem system, string name = "switchboard")
    {
        var config = system.Settings.Config.WithFallback(SettingsLoader.LoadReference());
        return Start(system, SettingsLoader.Load(config), name);
    }

    internal static SwitchboardRuntime Start(ActorSystem system, SwitchboardSettings settings, string name = "switchboard")
    {
        var clientContext = TlsContext.CreateClient(TlsOptions(settings.Tls, settings.Connection));
        var ioPool = StartIoPool(system, settings, $"{name}-io");
        var cache = settings.Resumption.Enabled
            ? system.ActorOf(ResumptionCacheActor.Props(settings.Resumption, ioPool), $"{name}-resumption")
            : null;
        RegisterDispatcher(system, SupervisorDispatcherId);
        RegisterDispatcher(system, EndpointDispatcherId);
        var supervisor = system.ActorOf(
            ConnectionSupervisor.Props(settings, ioPool, cache, new ClientTls(clientContext), AdmissionGate.Start(settings, system.Scheduler))
                .WithDispatcher(SupervisorDispatcherId),
            name);
        // One server-side session cache for the runtime's life: a reload's new context keeps resuming the
        // sessions the old one issued.
        var serverSessions = settings.Resumption.Enabled && settings.Listener.Host is not null ? new ServerSessionCache(settings.Resumption) : null;
        var listener = StartListener(system, settings, ioPool, cache, supervisor, serverSessions, $"{name}-listener");
        var runtime = new SwitchboardRuntime(system, settings, supervisor, ioPool, cache, listener, serverSessions);
        runtime.CloseLinksOnShutdown();
        return runtime;
    }

    /// <summary>The settings the runtime started with; a reload changes endpoints and TLS material, not these.</summary>
    internal SwitchboardSettings Settings { get; }

    /// <summary>The inbound listener, when <c>switchboard.listener.host</c> is set.</summary>
    internal IActorRef? Listener { get; }

    /// <summary>
    /// Inbound side: agents that dial in. Server sessions resume by ticket (keys owned, rotated and
    /// persisted by the cache actor) or, for TLS 1.2 clients without tickets, by ID through the
    /// shmcb-style server cache. Inbound frames reach subscribers as Received(peer identity, payload).
    /// </summary>
    private static IActorRef? StartListener(ActorSystem system, SwitchboardSettings settings, IActorRef ioPool, IActorRef? cache, IActorRef supervisor, IServerSessionCache? serverSessions, string name)
    {
        if (settings.Listener.Host is not { } host)
        {
            return null;
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            address = host == "localhost" ? IPAddress.Loopback
                : throw new SwitchboardConfigException([new ConfigProblem("switchboard.listener.host", $"must be an IP address to bind to, got '{host}'")]);
        }

        var context = ServerContext(settings.Tls, settings, serverSessions);
        cache?.Tell(new ResumptionCacheActor.UseTicketKeys(context));
        var options = new ListenerOptions(new IPEndPoint(address, settings.Listener.Port), context, InboundHandler.To(supervisor),
            settings.Listener.MaxPendingHandshakes, settings.Listener.Backlog);
        return system.ActorOf(ListenerActor.Props(options, ioPool), name);
    }

    private static TlsContext ServerContext(TlsSettings tls, SwitchboardSettings settings, IServerSessionCache? serverSessions) =>
        TlsContext.CreateServer(TlsOptions(tls, settings.Connection) with { SessionTickets = settings.Resumption.Enabled }, serverSessions);

    /// <summary>
    /// New TLS material (certificate renewal) for new handshakes in both directions: endpoints we dial and
    /// agents that dial our listener. Live links keep theirs. Both new contexts are built before either is
    /// used, so material that does not load changes nothing.
    /// </summary>
    /// <returns>null when applied, otherwise what is wrong with the new material (the old stays in use).</returns>
    internal string? Reload(TlsSettings tls)
    {
        TlsContext client;
        TlsContext? server = null;
        try
        {
            client = TlsContext.CreateClient(TlsOptions(tls, Settings.Connection));
            if (Listener is not null)
            {
                server = ServerContext(tls, Settings, _serverSessions);
            }
        }
        catch (TlsConfigurationException e)
        {
            return e.Message;
        }

        Supervisor.Tell(new ConnectionSupervisor.UseClientContext(client));
        if (server is null)
        {
            return null;
        }

        // Tickets the old context issued stay valid: the new one seals with the same keys, which the cache
        // actor installs before it hands the context to the listener.
        if (Cache is not null)
        {
            Cache.Tell(new ResumptionCacheActor.UseTicketKeys(server, Listener));
        }
        else
        {
            Listener!.Tell(new ListenerActor.UseContext(server));
        }

        return null;
    }

    /// <summary>Retires every endpoint and closes every link with close_notify, bounded by close-timeout.</summary>
    public async Task CloseAllLinksAsync()
    {
        var timeout = Settings.Connection.CloseTimeout + TimeSpan.FromSeconds(2);
        await Supervisor.Ask<ConnectionSupervisor.AllRetired>(new ConnectionSupervisor.RetireAll(), timeout).ConfigureAwait(false);
        // CloseLink reached each IO actor before its endpoint stopped, so a drain answered after it
        // means every close_notify has been handed to the kernel.
        var routees = await IoPool.Ask<Routees>(new GetRoutees(), timeout).ConfigureAwait(false);
        await Task.WhenAll(routees.Members.OfType<ActorRefRoutee>().Select(r => r.Actor.Ask<IoActor.Drained>(IoActor.Drain.Instance, timeout))).ConfigureAwait(false);
    }

    private void CloseLinksOnShutdown()
    {
        CoordinatedShutdown.Get(System).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "switchboard-close-links", async () =>
        {
            try
            {
                await CloseAllLinksAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                System.Log.Warning("switchboard: not every link closed within close-timeout: {0}", e.Message);
            }

            return Akka.Done.Instance;
        });
    }

    private static TlsContextOptions TlsOptions(TlsSettings tls, ConnectionSettings connection) =>
        new(tls.Ca, tls.Certificate, tls.PrivateKey, tls.MinVersion, tls.MaxVersion, tls.AllowPskWithoutDhe,
            Acknowledgements: connection.Acknowledgements);

    /// <summary>The fixed IO-actor pool: consistent hashing on the endpoint name pins each endpoint to one actor.</summary>
    internal static IActorRef StartIoPool(ActorSystem system, SwitchboardSettings settings, string name)
    {
        RegisterIoDispatcher(system, settings.Io.Actors);
        return system.ActorOf(
            IoActor.Props(settings.Io, settings.Connection)
                .WithDispatcher(IoDispatcherId)
                .WithRouter(new ConsistentHashingPool(settings.Io.Actors)),
            name);
    }

    /// <summary>
    /// One thread per IO actor, on a dispatcher of their own, so handshake CPU never lands on the threads
    /// the supervisor and the application use. The thread count follows <c>switchboard.io.actors</c>.
    /// </summary>
    internal static void RegisterIoDispatcher(ActorSystem system, int actors) =>
        RegisterDispatcher(system, IoDispatcherId, $"dedicated-thread-pool.thread-count = {actors}");

    /// <summary>
    /// Registers one of Switchboard's dispatchers from the system's config, or from reference.conf when the
    /// system was built without it (Akka.Hosting, tests), so <c>WithDispatcher(id)</c> always resolves.
    /// </summary>
    internal static void RegisterDispatcher(ActorSystem system, string id, string overrides = "")
    {
        // reference.conf may already define the id, so HasDispatcher cannot tell whether it was registered here.
        var registered = Registered.GetOrCreateValue(system);
        lock (registered)
        {
            if (!registered.Add(id))
            {
                return;
            }
        }

        var block = system.Settings.Config.GetConfig(id);
        if (block is null || block.IsEmpty)
        {
            block = SettingsLoader.LoadReference().GetConfig(id);
        }

        // A Dispatcher on the fork-join executor is what "type = ForkJoinDispatcher" builds: dedicated threads.
        var config = ConfigurationFactory.ParseString($"""
                id = "{id}"
                type = Dispatcher
                executor = fork-join-executor
                {overrides}
                """)
            .WithFallback(block);
        system.Dispatchers.RegisterConfigurator(id, new DispatcherConfigurator(config, system.Dispatchers.Prerequisites));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, HashSet<string>> Registered = new();
}
