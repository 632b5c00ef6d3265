using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.Routing;
using Switchboard.Configuration;
using Switchboard.IO;
using Switchboard.Resumption;
using Switchboard.Supervision;
using Switchboard.Tls;

namespace Switchboard;

/// <summary>
/// Switchboard inside an actor system: the IO-actor pool on its dedicated dispatcher, the resumption
/// cache, the connection supervisor, and the listener when one is configured. Talk to
/// <see cref="Supervisor"/> with <see cref="Send"/>, <see cref="GetStatus"/>, <see cref="AddEndpoint"/>,
/// <see cref="ReplaceEndpoints"/> and <see cref="Subscribe"/>.
/// </summary>
public sealed class SwitchboardRuntime
{
    private readonly IServerSessionCache? _serverSessions;

    // The TLS material in use (a reload replaces it), and the CRL file's write time when it was loaded.
    private readonly Lock _tlsGate = new();
    private TlsSettings _tls;
    private DateTime _crlWrittenAt;
    private ICancelable? _crlWatch;

    private SwitchboardRuntime(ActorSystem system, SwitchboardSettings settings, IActorRef supervisor, IoPool io, IActorRef? cache, InboundListener? listener, IServerSessionCache? serverSessions, FrameCredit frames, ClientTls clientTls)
    {
        ClientTls = clientTls;
        Frames = frames;
        System = system;
        Settings = settings;
        Supervisor = supervisor;
        Io = io;
        Cache = cache;
        Listener = listener;
        _serverSessions = serverSessions;
        _tls = settings.Tls;
    }

    public ActorSystem System { get; }

    /// <summary>The settings the runtime started with; a reload changes endpoints and TLS material, not these.</summary>
    public SwitchboardSettings Settings { get; }

    /// <summary>The connection supervisor: the one actor an application talks to.</summary>
    public IActorRef Supervisor { get; }

    /// <summary>The runtime's IO actors.</summary>
    public IoPool Io { get; }

    /// <summary>The inbound listener, when <c>switchboard.listener.host</c> is set.</summary>
    public InboundListener? Listener { get; }

    internal IActorRef? Cache { get; }

    /// <summary>The client context outbound links use now (a reload replaces it): what resumption keys are made of.</summary>
    internal ClientTls ClientTls { get; }

    /// <summary>The receive window received frames are counted against.</summary>
    internal FrameCredit Frames { get; }

    /// <summary>Starts Switchboard from the system's <c>switchboard { }</c> config (reference.conf supplies every default).</summary>
    /// <exception cref="SwitchboardConfigException">The configuration is invalid; the message names each setting's path.</exception>
    public static SwitchboardRuntime Start(ActorSystem system, string name = "switchboard")
    {
        var config = system.Settings.Config.WithFallback(SettingsLoader.LoadReference());
        return Start(system, SettingsLoader.Load(config), name);
    }

    /// <summary>Starts Switchboard with settings already loaded (see <see cref="SettingsLoader"/>).</summary>
    /// <exception cref="TlsConfigurationException">The TLS material cannot be loaded.</exception>
    /// <exception cref="InvalidOperationException">The listener's address cannot be listened on.</exception>
    public static SwitchboardRuntime Start(ActorSystem system, SwitchboardSettings settings, string name = "switchboard")
    {
        StartTimerWheel(system);
        var clientContext = TlsContext.CreateClient(TlsContextOptions.From(settings.Tls, settings.Connection.Acknowledgements));
        WarnIfCrlStale(system, clientContext, settings.Tls);
        var io = IoPool.Start(system, settings, $"{name}-io");
        var gauges = settings.Resumption.Enabled ? new ResumptionGauges() : null;
        var fileKey = settings.Resumption.PersistPath is not null ? FileKey(settings.Tls) : null;
        var cache = gauges is not null ? StartResumptionCache(system, settings, io, gauges, fileKey, $"{name}-resumption") : null;
        Dispatchers.Register(system, Dispatchers.Supervisor);
        EndpointMailbox.Register(system);
        var admission = AdmissionGate.Start(settings, system.Scheduler, Logging.GetLogger(system, typeof(NativeHeapTrim)));
        var frames = FrameCredit.Start(system, settings.Io.ReceiveWindow, $"{name}-frame-acks");
        var clientTls = new ClientTls(clientContext);
        var endpointDispatcher = Dispatchers.ForEndpoints(system, settings.Io);
        ConnectionSupervisor.CompileStartPath(system, endpointDispatcher, settings.Endpoints);
        var supervisor = system.ActorOf(
            ConnectionSupervisor.Props(settings, io.Router, cache, clientTls, admission, frames, endpointDispatcher, gauges)
                .WithDispatcher(Dispatchers.Supervisor),
            name);
        // One server-side session cache for the runtime's life: a reload's new context keeps resuming the
        // sessions the old one issued.
        var serverSessions = settings.Resumption.Enabled && settings.Listener.Host is not null ? new ServerSessionCache(settings.Resumption) : null;
        var listener = StartListener(settings, io, cache, supervisor, admission, frames, serverSessions, $"{name}-listener");
        var runtime = new SwitchboardRuntime(system, settings, supervisor, io, cache, listener, serverSessions, frames, clientTls);
        runtime.CloseLinksOnShutdown();
        runtime.WatchCrl();
        return runtime;
    }

    private static IActorRef StartResumptionCache(ActorSystem system, SwitchboardSettings settings, IoPool io, ResumptionGauges gauges, SessionFileKey? fileKey, string name)
    {
        var props = ResumptionCacheActor.Props(settings.Resumption, io.Router, gauges, fileKey);
        return system.ActorOf(Dispatchers.ForResumptionCache(system, settings.Io) is { } dispatcher ? props.WithDispatcher(dispatcher) : props, name);
    }

    /// <summary>
    /// Akka starts its timer wheel on the first timer anyone schedules, and that caller blocks until a
    /// thread-pool task has started the wheel's clock. Unstarted, the first timers would be the endpoint
    /// actors' watchdogs, scheduled by dozens of endpoints at once: on the thread pool (a control path
    /// configured there, or a pool a storm has filled) each blocked worker waits for a task queued behind
    /// the others, until the pool adds threads one at a time. 300 endpoints on the pool stalled 30 s that
    /// way. Started here, before any actor exists, the wheel costs one no-op timer.
    /// </summary>
    private static void StartTimerWheel(ActorSystem system) =>
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), static () => { });

    /// <summary>
    /// Inbound side: agents that dial in, admitted through the same gate as outbound handshakes (within
    /// admission.inbound-share). Server sessions resume by ticket (keys owned, rotated and
    /// persisted by the cache actor) or, for TLS 1.2 clients without tickets, by ID through the
    /// shmcb-style server cache. Inbound frames reach subscribers as Received(peer identity, payload).
    /// </summary>
    private static InboundListener? StartListener(SwitchboardSettings settings, IoPool io, IActorRef? cache, IActorRef supervisor, AdmissionGate admission, FrameCredit frames, IServerSessionCache? serverSessions, string name)
    {
        if (settings.Listener.Host is not { } host)
        {
            return null;
        }

        if (!EndpointRules.TryBindAddress(host, out var address, out var reason))
        {
            // Settings built in code skip the loader; the same rule holds for them.
            throw new SwitchboardConfigException([new ConfigProblem("switchboard.listener.host", reason)]);
        }

        var context = io.ServerContext(settings.Tls, serverSessions);
        cache?.Tell(new ResumptionCacheActor.UseTicketKeys(context));
        return io.Listen(new IPEndPoint(address, settings.Listener.Port), context, new ConnectionSupervisor.InboundLinks(supervisor, frames), name, admission);
    }

    /// <summary>
    /// Applies a new configuration (SIGHUP): new TLS material for new handshakes in both directions, and the
    /// new endpoint set. Live links keep their TLS material; unchanged endpoints keep their links; removed
    /// ones close with close_notify. Material that does not load changes nothing of the TLS side, and the
    /// endpoints are replaced either way. Settings other than TLS material and endpoints (dispatchers,
    /// deadlines, the listener's address) take a restart.
    /// </summary>
    public async Task<ReloadResult> ReloadAsync(SwitchboardSettings next, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(next);
        var tls = Reload(next.Tls);
        var replaced = await Supervisor.Ask<EndpointsReplaced>(new ReplaceEndpoints(next.Endpoints), timeout ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return new ReloadResult(replaced, tls);
    }

    private static void WarnIfCrlStale(ActorSystem system, TlsContext context, TlsSettings tls)
    {
        if (context.CrlStale)
        {
            system.Log.Warning(tls.CrlRequired
                ? "switchboard: the CRL {0} is past its nextUpdate ({1:u}); tls.crl-required = on, so every handshake fails until a fresh one is loaded"
                : "switchboard: the CRL {0} is past its nextUpdate ({1:u}); it is set aside (peers are checked against the CA only) until a fresh one is loaded",
                tls.Crl, context.CrlNextUpdateUtc);
        }
    }

    /// <summary>The key that seals the session file; the private key was loaded a moment ago, so it reads.</summary>
    private static SessionFileKey? FileKey(TlsSettings tls)
    {
        try
        {
            return SessionFileKey.FromPrivateKeyFile(tls.PrivateKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            // Unreachable in practice (the TLS context just read the same file); without a key, no file.
            return null;
        }
    }

    /// <summary>
    /// New TLS material (certificate renewal) for new handshakes in both directions: endpoints we dial and
    /// agents that dial our listener. Live links keep theirs. Both new contexts are built before either is
    /// used, so material that does not load changes nothing.
    /// </summary>
    /// <returns>null when applied, otherwise what is wrong with the new material (the old stays in use).</returns>
    internal string? Reload(TlsSettings tls)
    {
        lock (_tlsGate)
        {
            var error = Apply(tls);
            if (error is null)
            {
                _tls = tls;
                _crlWrittenAt = tls.Crl is { } crl ? File.GetLastWriteTimeUtc(crl) : default;
            }

            return error;
        }
    }

    /// <summary>
    /// Looks at the CRL file every crl-check-interval and reloads the TLS material in use when it changed, so a
    /// CA that publishes its list by replacing the file reaches running links without a signal.
    /// </summary>
    private void WatchCrl()
    {
        if (_tls.Crl is not { } crl)
        {
            return;
        }

        _crlWrittenAt = File.GetLastWriteTimeUtc(crl);
        var every = _tls.CrlCheckInterval;
        // Off the scheduler's own thread: a changed list means reading files and building TLS contexts.
        _crlWatch = System.Scheduler.Advanced.ScheduleRepeatedlyCancelable(every, every, () => Task.Run(CheckCrl));
        System.RegisterOnTermination(() => _crlWatch.Cancel());
    }

    private void CheckCrl()
    {
        try
        {
            TlsSettings tls;
            lock (_tlsGate)
            {
                tls = _tls;
                if (tls.Crl is not { } crl || File.GetLastWriteTimeUtc(crl) == _crlWrittenAt)
                {
                    return;
                }
            }

            if (Reload(tls) is { } error)
            {
                System.Log.Warning("switchboard: the changed CRL {0} was not loaded: {1}; the previous list stays in use", tls.Crl, error);
                lock (_tlsGate)
                {
                    // Said once per change, not at every look.
                    _crlWrittenAt = File.GetLastWriteTimeUtc(tls.Crl!);
                }
            }
            else
            {
                System.Log.Info("switchboard: loaded the changed CRL {0}", tls.Crl);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            System.Log.Warning("switchboard: cannot look at the CRL file: {0}", e.Message);
        }
    }

    private string? Apply(TlsSettings tls)
    {
        TlsContext client;
        TlsContext? server = null;
        try
        {
            client = TlsContext.CreateClient(TlsContextOptions.From(tls, Settings.Connection.Acknowledgements));
            if (Listener is not null)
            {
                server = Io.ServerContext(tls, _serverSessions);
            }
        }
        catch (TlsConfigurationException e)
        {
            return e.Message;
        }

        WarnIfCrlStale(System, client, tls);
        Supervisor.Tell(new ConnectionSupervisor.UseClientContext(client));
        if (client.RevokedSerials.Count > 0)
        {
            // Handshakes from now on check the new list; links already up are checked here, in both directions.
            Io.Router.Tell(new Broadcast(new Switchboard.IO.Io.CloseRevoked(client.RevokedSerials)));
        }

        if (Cache is not null && Settings.Resumption.PersistPath is not null && FileKey(tls) is { } fileKey)
        {
            Cache.Tell(new ResumptionCacheActor.UseFileKey(fileKey));
        }

        if (server is null)
        {
            return null;
        }

        // Tickets the old context issued stay valid: the new one seals with the same keys, which the cache
        // actor installs before it hands the context to the listener.
        if (Cache is not null)
        {
            Cache.Tell(new ResumptionCacheActor.UseTicketKeys(server, Listener!.Actor));
        }
        else
        {
            Listener!.Actor.Tell(new ListenerActor.UseContext(server));
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
        var routees = await Io.Router.Ask<Routees>(new GetRoutees(), timeout).ConfigureAwait(false);
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
}
