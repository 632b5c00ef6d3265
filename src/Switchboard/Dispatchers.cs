using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Switchboard.Configuration;

namespace Switchboard;

/// <summary>
/// Switchboard's dispatchers: the IO actors' (one thread per IO actor, where the endpoint actors and the
/// resumption cache run too when those threads are event loops), the supervisor's (a thread of its own) and the endpoint actors' own
/// (otherwise), so handshake CPU never lands on the thread the supervisor answers status on. Registered
/// from the system's config, or from reference.conf when the system was built without it (Akka.Hosting,
/// tests), so <c>WithDispatcher(id)</c> always resolves.
/// </summary>
internal static class Dispatchers
{
    public const string Io = "switchboard.io.dispatcher";
    public const string Supervisor = "switchboard.supervision.supervisor-dispatcher";
    public const string Endpoint = "switchboard.supervision.endpoint-dispatcher";

    /// <summary>Per system, the dispatchers registered here, each with the executor it was given.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, Dictionary<string, string>> Registered = new();

    /// <summary>reference.conf, parsed once for every registration (a Config never changes).</summary>
    private static readonly Lazy<Config> Reference = new(SettingsLoader.LoadReference);

    /// <summary>
    /// The IO dispatcher, its thread count following <c>switchboard.io.actors</c>; with <paramref name="eventLoop"/>
    /// (<c>io.reactor = epoll</c>) and the block naming no other executor, its threads are event loops.
    /// </summary>
    public static void RegisterIo(ActorSystem system, int actors, bool eventLoop = false) =>
        Register(system, Io, $"dedicated-thread-pool.thread-count = {actors}", eventLoop && IO.SocketReactor.Supported ? EventLoopExecutor : null);

    private const string EventLoopExecutor = "Switchboard.IO.EventLoopConfigurator, Switchboard";

    /// <summary>
    /// The dispatcher the endpoint actors run on: the IO dispatcher when its threads are event loops and
    /// <c>io.endpoints-on-io-threads</c> is on, the endpoint dispatcher (registered here) otherwise. On a fork-join
    /// or pool executor the IO threads would make an endpoint wait behind whole batches of TLS work, and nothing
    /// spares a wake-up there.
    /// </summary>
    public static string ForEndpoints(ActorSystem system, IoSettings io)
    {
        if (io.EndpointsOnIoThreads && IoThreadsAreEventLoops(system))
        {
            return Io;
        }

        Register(system, Endpoint);
        return Endpoint;
    }

    /// <summary>
    /// The dispatcher the resumption cache actor runs on: the IO dispatcher when its threads are event loops and
    /// <c>io.resumption-cache-on-io-threads</c> is on; null (Akka's default, the .NET thread pool) otherwise.
    /// </summary>
    public static string? ForResumptionCache(ActorSystem system, IoSettings io) =>
        io.ResumptionCacheOnIoThreads && IoThreadsAreEventLoops(system) ? Io : null;

    private static bool IoThreadsAreEventLoops(ActorSystem system) => ExecutorOf(system, Io) == EventLoopExecutor;

    /// <summary>The executor a dispatcher was registered with here; null if it was not.</summary>
    private static string? ExecutorOf(ActorSystem system, string id)
    {
        var registered = Registered.GetOrCreateValue(system);
        lock (registered)
        {
            return registered.GetValueOrDefault(id);
        }
    }

    /// <param name="defaultExecutor">What runs the dispatcher when its block names no executor (fork-join's dedicated threads otherwise).</param>
    public static void Register(ActorSystem system, string id, string overrides = "", string? defaultExecutor = null)
    {
        // What the system's config sets, over reference.conf's block: a config that names only an executor or a
        // throughput keeps the thread count and the rest.
        var reference = Reference.Value.GetConfig(id);
        var own = system.Settings.Config.GetConfig(id);
        var block = own is null || own.IsEmpty ? reference : own.WithFallback(reference);

        // A Dispatcher on the fork-join executor is what "type = ForkJoinDispatcher" builds: dedicated threads.
        // A block may name another executor (channel-executor: the .NET thread pool, with priorities).
        var executor = block.GetString("executor", null) ?? defaultExecutor ?? "fork-join-executor";

        // reference.conf may already define the id, so HasDispatcher cannot tell whether it was registered here.
        var registered = Registered.GetOrCreateValue(system);
        lock (registered)
        {
            if (!registered.TryAdd(id, executor))
            {
                return;
            }
        }
        var config = ConfigurationFactory.ParseString($"""
                id = "{id}"
                type = Dispatcher
                executor = {Quoted(executor)}
                {overrides}
                """)
            .WithFallback(block);
        system.Dispatchers.RegisterConfigurator(id, new DispatcherConfigurator(config, system.Dispatchers.Prerequisites));
    }

    /// <summary>An executor's name as a HOCON string: an assembly-qualified type holds a comma, which unquoted would end the value.</summary>
    private static string Quoted(string executor) => $"\"{executor.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
}
