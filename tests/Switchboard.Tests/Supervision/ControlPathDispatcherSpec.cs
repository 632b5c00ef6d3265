using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Supervision;

/// <summary>
/// The control path is off the .NET thread pool, which a storm fills with socket completions: the
/// supervisor on a thread of its own, the endpoint actors and the resumption cache on the IO event loops
/// beside their links (or the endpoints on their own dispatcher, the cache on the pool). Checked in a system built without Switchboard's reference.conf (how Akka.Hosting
/// and embedding daemons build theirs).
/// </summary>
public sealed class ControlPathDispatcherSpec() : TestKit("akka.loglevel = WARNING")
{
    [Fact]
    public async Task Endpoint_actors_run_on_the_IO_event_loops_and_the_supervisor_on_its_own_thread()
    {
        Assert.False(Sys.Settings.Config.HasPath("switchboard"));
        var settings = Support.Settings.Load() with { Endpoints = [new EndpointSettings("agent-00001", "127.0.0.1", 1)] };
        Assert.True(settings.Io.EpollReactor && settings.Io.EndpointsOnIoThreads);

        var runtime = SwitchboardRuntime.Start(Sys, settings);

        Assert.Equal(Dispatchers.Supervisor, Cell(runtime.Supervisor).Props.Dispatcher);
        var endpoint = await EndpointOf(runtime, "agent-00001");
        Assert.Equal(Dispatchers.Io, Cell(endpoint).Props.Dispatcher);
        Assert.IsType<EndpointMailbox.MessageQueue>(((ActorCell)Cell(endpoint)).Mailbox?.MessageQueue);

        var threads = await Task.WhenAll(ThreadOf(Dispatchers.Supervisor), ThreadOf(Dispatchers.Io));
        Assert.Contains(Dispatchers.Supervisor, threads[0], StringComparison.Ordinal);
        Assert.StartsWith("switchboard.io.", threads[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Endpoint_actors_run_on_a_thread_of_their_own_when_told_or_when_the_IO_threads_are_not_event_loops(bool onIoThreads, bool epoll)
    {
        var settings = Support.Settings.Load() with { Endpoints = [new EndpointSettings("agent-00001", "127.0.0.1", 1)] };
        settings = settings with { Io = settings.Io with { EndpointsOnIoThreads = onIoThreads, EpollReactor = epoll } };

        var runtime = SwitchboardRuntime.Start(Sys, settings);

        var endpoint = await EndpointOf(runtime, "agent-00001");
        Assert.Equal(Dispatchers.Endpoint, Cell(endpoint).Props.Dispatcher);
        Assert.Contains(Dispatchers.Endpoint, await ThreadOf(Dispatchers.Endpoint), StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_are_read_from_the_io_section()
    {
        Assert.False(Support.Settings.Load("switchboard.io.endpoints-on-io-threads = off").Io.EndpointsOnIoThreads);
        Assert.True(Support.Settings.Load().Io.EndpointsOnIoThreads);
        Assert.False(Support.Settings.Load("switchboard.io.resumption-cache-on-io-threads = off").Io.ResumptionCacheOnIoThreads);
        Assert.True(Support.Settings.Load().Io.ResumptionCacheOnIoThreads);
    }

    [Fact]
    public async Task The_resumption_cache_runs_on_the_IO_event_loops()
    {
        var runtime = SwitchboardRuntime.Start(Sys, Support.Settings.Load());

        var cache = Assert.IsAssignableFrom<IActorRef>(runtime.Cache);
        Assert.Equal(Dispatchers.Io, Cell(cache).Props.Dispatcher);
        Assert.StartsWith("switchboard.io.", await ThreadOf(Dispatchers.Io), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void The_resumption_cache_runs_on_the_thread_pool_when_told_or_when_the_IO_threads_are_not_event_loops(bool onIoThreads, bool epoll)
    {
        var settings = Support.Settings.Load();
        settings = settings with { Io = settings.Io with { ResumptionCacheOnIoThreads = onIoThreads, EpollReactor = epoll } };

        var runtime = SwitchboardRuntime.Start(Sys, settings);

        var cache = Assert.IsAssignableFrom<IActorRef>(runtime.Cache);
        Assert.Equal(Akka.Dispatch.Dispatchers.DefaultDispatcherId, Cell(cache).Props.Dispatcher);
    }

    [Fact]
    public async Task A_config_that_sets_one_dispatcher_key_keeps_reference_confs_others()
    {
        var system = ActorSystem.Create("partial-dispatcher", "switchboard.supervision.supervisor-dispatcher.throughput = 7");
        try
        {
            Dispatchers.Register(system, Dispatchers.Supervisor);
            var config = system.Dispatchers.Lookup(Dispatchers.Supervisor).Configurator.Config;
            Assert.Equal(7, config.GetInt("throughput"));
            Assert.Equal(1, config.GetInt("dedicated-thread-pool.thread-count"));
            Assert.Equal("fork-join-executor", config.GetString("executor"));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Endpoints_on_the_thread_pool_start_without_waiting_for_Akkas_timer_wheel()
    {
        // The control path moved onto the pool, as reference.conf allows: every endpoint schedules its watchdog
        // as it starts, so the first of them would start the wheel and block pool workers on it.
        var system = ActorSystem.Create("timer-wheel", $"""
            akka.loglevel = WARNING
            {FirstTimerScheduler.Config}
            switchboard.supervision.supervisor-dispatcher.executor = thread-pool-executor
            switchboard.supervision.endpoint-dispatcher.executor = thread-pool-executor
            """);
        try
        {
            var scheduler = Assert.IsType<FirstTimerScheduler>(system.Scheduler);
            var endpoints = Enumerable.Range(1, 100).Select(i => new EndpointSettings($"agent-{i:D5}", "127.0.0.1", 1)).ToArray();
            scheduler.Arm();

            var settings = Support.Settings.Load() with { Endpoints = [.. endpoints] };
            var runtime = SwitchboardRuntime.Start(system, settings with { Io = settings.Io with { EndpointsOnIoThreads = false } });

            Assert.Equal(Environment.CurrentManagedThreadId, scheduler.FirstThread);
            await AwaitAssertAsync(async () =>
            {
                var status = await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5));
                Assert.Equal(endpoints.Length, status.Endpoints.Count(e => e.Attempts > 0));
            }, TimeSpan.FromSeconds(20));
            Assert.True(scheduler.Calls > endpoints.Length, $"{scheduler.Calls} timers scheduled: the endpoints' watchdogs went elsewhere");
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_dispatcher_block_may_name_its_executor_by_assembly_qualified_type()
    {
        // The type's name holds a comma, which would end an unquoted HOCON value and lose the assembly.
        const string executor = "Switchboard.IO.EventLoopConfigurator, Switchboard";
        var system = ActorSystem.Create("named-executor", $"""
            akka.loglevel = WARNING
            switchboard.supervision.endpoint-dispatcher.executor = "{executor}"
            """);
        try
        {
            Dispatchers.Register(system, Dispatchers.Endpoint);

            Assert.Equal(executor, system.Dispatchers.Lookup(Dispatchers.Endpoint).Configurator.Config.GetString("executor"));
            var thread = await system.ActorOf(Props.Create<EchoThread>().WithDispatcher(Dispatchers.Endpoint))
                .Ask<string>("which thread?", TimeSpan.FromSeconds(5));
            Assert.Equal($"{Dispatchers.Endpoint}.0", thread);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static ICell Cell(IActorRef actor) => ((ActorRefWithCell)actor).Underlying;

    /// <summary>The endpoint's actor, once the supervisor has spawned it (configured endpoints start a batch at a time).</summary>
    private async Task<IActorRef> EndpointOf(SwitchboardRuntime runtime, string name)
    {
        await AwaitAssertAsync(async () =>
            Assert.Single((await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5))).Endpoints));
        return await Sys.ActorSelection(runtime.Supervisor.Path / $"{name}-1").ResolveOne(TimeSpan.FromSeconds(5));
    }

    private Task<string> ThreadOf(string dispatcher) =>
        Sys.ActorOf(Props.Create<EchoThread>().WithDispatcher(dispatcher)).Ask<string>("which thread?", TimeSpan.FromSeconds(5));

    private sealed class EchoThread : ReceiveActor
    {
        public EchoThread() => ReceiveAny(_ => Sender.Tell(Thread.CurrentThread.Name ?? string.Empty));
    }
}
