namespace Switchboard.Configuration;

/// <summary><c>switchboard.io</c>: the fixed IO-actor pool and its buffers.</summary>
/// <param name="Actors">Resolved count (0 in the file means one per processor).</param>
/// <param name="MaxSendBufferBytes">Ciphertext queued for a peer that does not read; beyond it the link is closed.</param>
/// <param name="ReceiveWindow">Bytes of received frames handed to subscribers and not yet acknowledged, in all; at it links stop reading.</param>
/// <param name="ThreadNice">How far the IO threads' nice value is raised above the process's (0 = not at all), so the control path wins the CPU when it wakes.</param>
/// <param name="TrimNativeHeap">Give the native heap's free pages back to the system once a storm of handshakes is over.</param>
/// <param name="EpollReactor">The IO threads are event loops that wait on their IO actors' sockets (<c>reactor = epoll</c>) rather than .NET's socket engine and fork-join threads.</param>
/// <param name="EndpointsOnIoThreads">The endpoint actors run on the IO threads when those are event loops, rather than on a thread of their own.</param>
/// <param name="ResumptionCacheOnIoThreads">The resumption cache actor runs on the IO threads when those are event loops, rather than on the .NET thread pool.</param>
public sealed record IoSettings(int Actors, int ReceiveBufferSize, int MaxSendBufferBytes, int MaxFrameSize, long ReceiveWindow = 16 * 1024 * 1024, int ThreadNice = 5,
    bool TrimNativeHeap = true, bool EpollReactor = true, bool EndpointsOnIoThreads = true, bool ResumptionCacheOnIoThreads = true);
