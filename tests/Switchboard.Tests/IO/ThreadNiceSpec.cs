using System.Runtime.InteropServices;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

/// <summary>
/// The IO threads' nice value is raised relative to the thread's own: a daemon started under <c>nice</c>
/// keeps its IO threads below its own priority, even when it runs privileged (as these tests may, as root),
/// where setting the value outright would raise them back up. Each case runs on a thread of its own, so the
/// test runner's threads keep their priority and the once-per-thread guard starts fresh.
/// </summary>
public sealed partial class ThreadNiceSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_io_threads_are_niced_above_the_priority_the_thread_already_has()
    {
        var (before, after) = await OnNewThread(own: 3, raiseBy: 5);

        Assert.Equal(3, before);
        Assert.Equal(8, after);
    }

    [Fact]
    public async Task A_thread_is_niced_once_however_often_an_io_actor_runs_on_it()
    {
        var (_, after) = await OnNewThread(own: 2, raiseBy: 5, times: 3);

        Assert.Equal(7, after);
    }

    [Fact]
    public async Task The_nice_value_stops_at_the_lowest_priority()
    {
        var (_, after) = await OnNewThread(own: 17, raiseBy: 5);

        Assert.Equal(19, after);
    }

    [Fact]
    public async Task Zero_leaves_the_thread_at_its_own_priority()
    {
        var (_, after) = await OnNewThread(own: 4, raiseBy: 0);

        Assert.Equal(4, after);
    }

    private static async Task<(int Before, int After)> OnNewThread(int own, int raiseBy, int times = 1)
    {
        var result = new TaskCompletionSource<(int, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // Raising one's own nice value needs no privilege.
                Assert.Equal(0, SetPriority(0, GetTid(), own));
                var before = ThreadNice.Current() ?? throw new InvalidOperationException("getpriority failed");
                for (var i = 0; i < times; i++)
                {
                    ThreadNice.Ensure(raiseBy);
                }

                result.SetResult((before, ThreadNice.Current() ?? throw new InvalidOperationException("getpriority failed")));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }) { IsBackground = true };
        thread.Start();
        return await result.Task.WaitAsync(Timeout);
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
