using Akka.Dispatch;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>
/// The IO dispatcher's event-loop executor: work queued for a sleeping loop wakes it, and a runnable (an IO
/// actor's mailbox) always runs on the one thread its sockets are registered with.
/// </summary>
public sealed class EventLoopExecutorSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly EventLoopExecutor _executor = new(Dispatchers.Io, threads: 2);

    public void Dispose() => _executor.Shutdown();

    [Fact]
    public async Task Work_queued_from_another_thread_wakes_a_sleeping_loop_and_runs_there()
    {
        var run = new Recording();
        _executor.Execute(run);
        var first = await run.Next.WaitAsync(Timeout);

        // By now the loop has run dry and waits in epoll_wait; only the eventfd can bring it back.
        run.Reset();
        _executor.Execute(run);
        var second = await run.Next.WaitAsync(Timeout);

        Assert.StartsWith("switchboard.io.", first.Name);
        Assert.Equal(first.Id, second.Id);
        Assert.True(second.OnLoop);
    }

    [Fact]
    public async Task A_runnable_keeps_its_thread_and_two_runnables_get_one_each()
    {
        var a = new Recording();
        var b = new Recording();
        var threadsOfA = new HashSet<int>();
        var threadsOfB = new HashSet<int>();
        for (var i = 0; i < 20; i++)
        {
            a.Reset();
            b.Reset();
            _executor.Execute(a);
            _executor.Execute(b);
            threadsOfA.Add((await a.Next.WaitAsync(Timeout)).Id);
            threadsOfB.Add((await b.Next.WaitAsync(Timeout)).Id);
        }

        Assert.Single(threadsOfA);
        Assert.Single(threadsOfB);
        Assert.NotEqual(threadsOfA.Single(), threadsOfB.Single());
    }

    private sealed class Recording : IRunnable
    {
        private TaskCompletionSource<(int Id, string? Name, bool OnLoop)> _next = New();

        public Task<(int Id, string? Name, bool OnLoop)> Next => _next.Task;

        public void Reset() => _next = New();

        public void Run() => _next.TrySetResult((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, EventLoopExecutor.LoopThread.Current is not null));

        // IRunnable is also a thread-pool work item.
        public void Execute() => Run();

        private static TaskCompletionSource<(int, string?, bool)> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
