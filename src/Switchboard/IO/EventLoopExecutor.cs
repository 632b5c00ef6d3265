using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Configuration;
using Akka.Dispatch;

namespace Switchboard.IO;

/// <summary>
/// The IO dispatcher's executor (<c>io.reactor = epoll</c>): a fixed set of IO threads, each an event loop
/// with a <see cref="SocketReactor"/> of its own. A thread out of work waits in <c>epoll_wait</c> on its IO
/// actors' sockets and on an eventfd that <see cref="Execute"/> writes only when it queues work for a
/// sleeping thread, so a socket event and the IO actor's run that handles it happen on one thread: no hop
/// through .NET's socket engine and the thread pool, no spinning between events. Each runnable (an actor's
/// mailbox) is bound to one thread the first time it runs, the least loaded, and always runs there, since
/// its actor's sockets are in that thread's epoll set.
/// </summary>
internal sealed class EventLoopExecutor : ExecutorService
{
    private readonly LoopThread[] _threads;
    private readonly ConditionalWeakTable<IRunnable, LoopThread> _affinity = new();

    // Made once: a lambda over this would be a new delegate on every Execute, which runs for every mailbox
    // scheduled on an IO thread, the endpoint actors' included.
    private readonly ConditionalWeakTable<IRunnable, LoopThread>.CreateValueCallback _bind;

    public EventLoopExecutor(string id, int threads) : base(id)
    {
        _bind = _ => LeastBound();
        _threads = new LoopThread[Math.Max(1, threads)];
        // The IO dispatcher's threads are switchboard.io.N; any other dispatcher's are named after its id.
        var prefix = id.EndsWith(".dispatcher", StringComparison.Ordinal) ? id[..^".dispatcher".Length] : id;
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new LoopThread($"{prefix}.{i}");
        }
    }

    public override void Execute(IRunnable run) => _affinity.GetValue(run, _bind).Enqueue(run);

    public override void Shutdown()
    {
        foreach (var thread in _threads)
        {
            thread.Stop();
        }
    }

    private LoopThread LeastBound()
    {
        lock (_threads)
        {
            var least = _threads.MinBy(t => t.Bound)!;
            least.Bound++;
            return least;
        }
    }

    /// <summary>One IO thread: its queue, its epoll set.</summary>
    internal sealed class LoopThread
    {
        // Socket events are looked at between runs too, so a thread that never runs dry still hears them.
        private const int RunsBetweenPolls = 64;

        [ThreadStatic]
        private static LoopThread? _current;

        private readonly ConcurrentQueue<IRunnable> _queue = new();
        private volatile bool _stopping;
        private int _sleeping;

        public LoopThread(string name)
        {
            Reactor = SocketReactor.Create() ?? throw new InvalidOperationException("epoll is not available");
            new Thread(Run) { IsBackground = true, Name = name }.Start();
        }

        /// <summary>The IO thread the caller runs on; null on any other thread.</summary>
        public static LoopThread? Current => _current;

        public SocketReactor Reactor { get; }

        /// <summary>Runnables bound to this thread (under the executor's lock).</summary>
        public int Bound { get; set; }

        public void Enqueue(IRunnable run)
        {
            _queue.Enqueue(run);
            if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                Reactor.Wake();
            }
        }

        public void Stop()
        {
            _stopping = true;
            Reactor.Wake();
        }

        private void Run()
        {
            _current = this;
            while (!_stopping)
            {
                var ran = 0;
                while (ran < RunsBetweenPolls && _queue.TryDequeue(out var run))
                {
                    run.Run();
                    ran++;
                }

                if (ran > 0)
                {
                    Reactor.Poll(0);
                    continue;
                }

                // Announce the sleep before the last look at the queue: a producer that enqueued after that look
                // sees the flag and wakes us; one that enqueued before it is found by the look.
                Interlocked.Exchange(ref _sleeping, 1);
                if (!_queue.IsEmpty || _stopping)
                {
                    Volatile.Write(ref _sleeping, 0);
                    continue;
                }

                Reactor.Poll(-1);
                Volatile.Write(ref _sleeping, 0);
            }

            Reactor.Close();
        }
    }
}

/// <summary>What the IO dispatcher's <c>executor</c> names when <c>io.reactor = epoll</c>; its thread count is the dispatcher's.</summary>
internal sealed class EventLoopConfigurator(Config config, IDispatcherPrerequisites prerequisites) : ExecutorServiceConfigurator(config, prerequisites)
{
    private readonly int _threads = config.GetInt("dedicated-thread-pool.thread-count", Environment.ProcessorCount);

    public override ExecutorService Produce(string id) => new EventLoopExecutor(id, _threads);
}
