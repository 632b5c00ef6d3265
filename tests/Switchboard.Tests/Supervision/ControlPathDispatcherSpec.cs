using Akka.Actor;
using Akka.TestKit.Xunit2;
using Switchboard.Configuration;
using Switchboard.Supervision;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Supervision;

/// <summary>
/// The control path is off the .NET thread pool, which a storm fills with socket completions: the
/// supervisor on a thread of its own, the endpoint actors on their own small pool. Checked in a system
/// built without Switchboard's reference.conf (how Akka.Hosting and embedding daemons build theirs).
/// </summary>
public sealed class ControlPathDispatcherSpec() : TestKit("akka.loglevel = WARNING")
{
    [Fact]
    public async Task Supervisor_and_endpoint_actors_run_on_their_own_dispatchers_and_answer_status()
    {
        Assert.False(Sys.Settings.Config.HasPath("switchboard"));
        var settings = Support.Settings.Load() with { Endpoints = [new EndpointSettings("agent-00001", "127.0.0.1", 1)] };

        var runtime = SwitchboardRuntime.Start(Sys, settings);

        Assert.Equal(Dispatchers.Supervisor, Cell(runtime.Supervisor).Props.Dispatcher);
        // Configured endpoints are spawned a batch at a time after start, so the first answers may list none yet.
        await AwaitAssertAsync(async () =>
            Assert.Single((await runtime.Supervisor.Ask<StatusReport>(GetStatus.Instance, TimeSpan.FromSeconds(5))).Endpoints));
        var endpoint = await Sys.ActorSelection(runtime.Supervisor.Path / "agent-00001-1").ResolveOne(TimeSpan.FromSeconds(5));
        Assert.Equal(Dispatchers.Endpoint, Cell(endpoint).Props.Dispatcher);
        Assert.IsType<EndpointMailbox.MessageQueue>(((ActorCell)Cell(endpoint)).Mailbox?.MessageQueue);

        var threads = await Task.WhenAll(ThreadOf(Dispatchers.Supervisor), ThreadOf(Dispatchers.Endpoint));
        Assert.Contains(Dispatchers.Supervisor, threads[0], StringComparison.Ordinal);
        Assert.Contains(Dispatchers.Endpoint, threads[1], StringComparison.Ordinal);
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

            var runtime = SwitchboardRuntime.Start(system, Support.Settings.Load() with { Endpoints = [.. endpoints] });

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

    private static ICell Cell(IActorRef actor) => ((ActorRefWithCell)actor).Underlying;

    private Task<string> ThreadOf(string dispatcher) =>
        Sys.ActorOf(Props.Create<EchoThread>().WithDispatcher(dispatcher)).Ask<string>("which thread?", TimeSpan.FromSeconds(5));

    private sealed class EchoThread : ReceiveActor
    {
        public EchoThread() => ReceiveAny(_ => Sender.Tell(Thread.CurrentThread.Name ?? string.Empty));
    }
}
