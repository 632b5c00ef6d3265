using System.Runtime.CompilerServices;

namespace Switchboard.Tests.Support;

/// <summary>
/// TestKit's ExpectMsg and AwaitCondition block the test's thread, and xunit runs test classes in
/// parallel on the thread pool. The pool adds threads only slowly when all are blocked, and Akka's
/// default dispatcher runs on the same pool, so actors (timers, watchdogs) could stall for seconds: a
/// freeze of the test host, not of Switchboard. Enough threads up front keeps the actors running.
/// </summary>
internal static class ThreadPoolWarmup
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
