using System.Collections.Concurrent;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Switchboard;

/// <summary>
/// Dedicated threads for Switchboard's dispatchers that go to sleep as soon as they run out of work.
/// Akka's fork-join executor spins first: a thread out of work calls <c>Thread.Sleep(0)</c> up to 100 times
/// (on two cores) before it blocks. The supervisor's and the endpoints' threads run out of work thousands
/// of times a second in a storm, each time for a few microseconds of work per message, so they spun in
/// <c>sched_yield</c> more than 6,000 times a second, each a system call, where one futex wake is enough
/// (architecture §5). Work runs in the order it was queued; an exception that escapes a work item is
/// published on the event stream and the thread goes on. Shut down, the threads finish what is queued
/// and exit.
/// </summary>
internal sealed class DedicatedThreadExecutor : ExecutorService
{
    private readonly ConcurrentQueue<IRunnable> _work = new();
    private readonly object _gate = new();
    private readonly EventStream _events;
    private readonly Thread[] _threads;
    private int _sleeping;
    private volatile bool _shutdown;

    public DedicatedThreadExecutor(string id, int threadCount, bool background, EventStream events) : base(id)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _events = events;
        _threads = new Thread[threadCount];
        for (var i = 0; i < threadCount; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = background, Name = $"{id}_{i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads asleep right now (tests read it).</summary>
    internal int Sleeping => Volatile.Read(ref _sleeping);

    public override void Execute(IRunnable run)
    {
        if (_shutdown)
        {
            // Akka shuts an executor down once its dispatcher has been empty for a while and gives the
            // dispatcher a new one; a message racing that hand-over still runs.
            ThreadPool.UnsafeQueueUserWorkItem(static run => run.Run(), run, preferLocal: false);
            return;
        }

        // The enqueue is a full fence (an interlocked exchange), and so is a sleeper's increment below: either
        // this read sees the sleeper, or the sleeper's emptiness check sees this item. No wake-up is lost.
        _work.Enqueue(run);
        if (Volatile.Read(ref _sleeping) > 0)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    public override void Shutdown()
    {
        _shutdown = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void Work()
    {
        while (true)
        {
            while (_work.TryDequeue(out var run))
            {
                try
                {
                    run.Run();
                }
                catch (Exception e)
                {
                    _events.Publish(new Error(e, Id, typeof(DedicatedThreadExecutor), $"a work item on {Id} failed"));
                }
            }

            if (_shutdown)
            {
                return;
            }

            lock (_gate)
            {
                Interlocked.Increment(ref _sleeping);
                if (_work.IsEmpty && !_shutdown)
                {
                    Monitor.Wait(_gate);
                }

                Interlocked.Decrement(ref _sleeping);
            }
        }
    }
}

/// <summary>
/// Builds a <see cref="DedicatedThreadExecutor"/> from a dispatcher block; reads the same
/// <c>dedicated-thread-pool</c> keys as Akka's fork-join executor, so a block switches between the two by
/// its <c>executor</c> line alone.
/// </summary>
internal sealed class DedicatedThreadExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    /// <summary>What a dispatcher block's <c>executor</c> says to get this executor.</summary>
    public const string Name = "switchboard-thread-executor";

    public override ExecutorService Produce(string id)
    {
        var pool = Config.GetConfig("dedicated-thread-pool");
        var threads = pool?.GetInt("thread-count", 1) ?? 1;
        var background = !string.Equals(pool?.GetString("threadtype", "background"), "foreground", StringComparison.OrdinalIgnoreCase);
        return new DedicatedThreadExecutor(id, threads, background, Prerequisites.EventStream);
    }
}
