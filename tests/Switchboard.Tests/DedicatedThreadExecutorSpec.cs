using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.TestKit.Xunit2;

namespace Switchboard.Tests;

/// <summary>
/// The executor behind Switchboard's dispatchers: threads that sleep without spinning must still never miss
/// a wake-up, keep the order work was queued in, survive a failing work item and finish what is queued when
/// shut down.
/// </summary>
public sealed class DedicatedThreadExecutorSpec() : TestKit("akka.loglevel = WARNING")
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Runs_work_on_one_thread_in_the_order_it_was_queued()
    {
        var executor = new DedicatedThreadExecutor("order-spec", 1, background: true, Sys.EventStream);
        try
        {
            var seen = new List<int>();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            for (var i = 0; i < 1000; i++)
            {
                var n = i;
                executor.Execute(new ActionRunnable(() =>
                {
                    seen.Add(n);
                    if (n == 999)
                    {
                        done.SetResult();
                    }
                }));
            }

            await done.Task.WaitAsync(Bound);
            Assert.Equal(Enumerable.Range(0, 1000), seen);
        }
        finally
        {
            executor.Shutdown();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_sleeping_thread_is_woken_for_every_item_however_producers_race(int threads)
    {
        var executor = new DedicatedThreadExecutor("wake-spec", threads, background: true, Sys.EventStream);
        try
        {
            // Each round starts with every thread asleep, then two producers race to queue one item each:
            // a lost wake-up leaves an item unrun and the round times out.
            for (var round = 0; round < 300; round++)
            {
                await AwaitConditionAsync(() => Task.FromResult(executor.Sleeping == threads), Bound);
                var ran = 0;
                var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var item = new ActionRunnable(() =>
                {
                    if (Interlocked.Increment(ref ran) == 2)
                    {
                        both.SetResult();
                    }
                });
                var start = new Barrier(2);
                var producers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
                {
                    start.SignalAndWait(Bound);
                    executor.Execute(item);
                })).ToArray();
                await Task.WhenAll(producers).WaitAsync(Bound);
                await both.Task.WaitAsync(Bound);
            }

            // And a burst from many producers: every item runs exactly once.
            const int producersInBurst = 4;
            const int itemsEach = 20_000;
            var count = 0;
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var counted = new ActionRunnable(() =>
            {
                if (Interlocked.Increment(ref count) == producersInBurst * itemsEach)
                {
                    all.SetResult();
                }
            });
            await Task.WhenAll(Enumerable.Range(0, producersInBurst).Select(_ => Task.Run(() =>
            {
                for (var i = 0; i < itemsEach; i++)
                {
                    executor.Execute(counted);
                }
            })));
            await all.Task.WaitAsync(Bound);
            Assert.Equal(producersInBurst * itemsEach, Volatile.Read(ref count));
        }
        finally
        {
            executor.Shutdown();
        }
    }

    [Fact]
    public async Task A_failing_work_item_is_published_as_an_error_and_the_thread_goes_on()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors, typeof(Error));
        var executor = new DedicatedThreadExecutor("failure-spec", 1, background: true, Sys.EventStream);
        try
        {
            var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            executor.Execute(new ActionRunnable(() => throw new InvalidOperationException("boom")));
            executor.Execute(new ActionRunnable(after.SetResult));

            var error = errors.ExpectMsg<Error>(Bound);
            Assert.IsType<InvalidOperationException>(error.Cause);
            Assert.Contains("failure-spec", error.Message.ToString(), StringComparison.Ordinal);
            await after.Task.WaitAsync(Bound);
        }
        finally
        {
            executor.Shutdown();
        }
    }

    [Fact]
    public async Task Shut_down_it_finishes_what_is_queued_and_work_that_races_the_shutdown_still_runs()
    {
        var executor = new DedicatedThreadExecutor("shutdown-spec", 1, background: true, Sys.EventStream);
        var gate = new ManualResetEventSlim(false);
        var ran = 0;
        executor.Execute(new ActionRunnable(() => gate.Wait(Bound)));
        for (var i = 0; i < 100; i++)
        {
            executor.Execute(new ActionRunnable(() => Interlocked.Increment(ref ran)));
        }

        executor.Shutdown();
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        executor.Execute(new ActionRunnable(late.SetResult));
        gate.Set();

        await late.Task.WaitAsync(Bound);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref ran) == 100), Bound);
    }

    [Fact]
    public async Task Switchboards_dispatchers_run_on_it_unless_their_block_names_another_executor()
    {
        Dispatchers.Register(Sys, Dispatchers.Supervisor);
        Dispatchers.Register(Sys, Dispatchers.Endpoint);
        Dispatchers.RegisterIo(Sys, 2);
        foreach (var id in new[] { Dispatchers.Supervisor, Dispatchers.Endpoint, Dispatchers.Io })
        {
            Assert.Equal(typeof(DedicatedThreadExecutorConfigurator).AssemblyQualifiedName,
                Sys.Dispatchers.Lookup(id).Configurator.Config.GetString("executor"));
        }

        var forkJoin = ActorSystem.Create("fork-join-spec", "switchboard.supervision.supervisor-dispatcher.executor = fork-join-executor");
        try
        {
            Dispatchers.Register(forkJoin, Dispatchers.Supervisor);
            Assert.Equal("fork-join-executor", forkJoin.Dispatchers.Lookup(Dispatchers.Supervisor).Configurator.Config.GetString("executor"));
        }
        finally
        {
            await forkJoin.Terminate().WaitAsync(Bound);
        }
    }
}
