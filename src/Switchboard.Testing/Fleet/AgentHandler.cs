using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.IO;

namespace Switchboard.Testing.Fleet;

/// <summary>Sees each application frame an agent receives (not heartbeats, not dropped resent copies); the span is valid only during the call.</summary>
public delegate void FrameObserver(ReadOnlySpan<byte> payload);

/// <summary>
/// What one agent of the fleet does with the links a master opens to it: echo every frame (on the IO
/// actor, so thousands of agents cost no extra actor hop per frame), or, as a silent agent, never send a
/// byte after the handshake. It keeps its live links, so the fleet can make it drop them all at once.
/// </summary>
public sealed class AgentHandler(bool silent, FrameObserver? observer = null) : InboundHandler
{
    private const string DropReason = "the agent dropped its links";

    private readonly ConcurrentDictionary<long, InboundLink> _links = new();
    private long _droppedAt;
    private long _received;

    /// <summary>Links up right now.</summary>
    public int Links => _links.Count;

    /// <summary>Application frames received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    public override bool KeepsLinksAlive => !silent;

    public override void OnLinkUp(InboundLink link)
    {
        // A TLS 1.3 client counts itself connected before its agent does: a link whose handshake was in
        // flight when the agent dropped its links belongs to the drop too.
        if (link.AcceptedTimestamp <= Interlocked.Read(ref _droppedAt))
        {
            link.Close(DropReason);
            return;
        }

        _links[link.Id] = link;
    }

    public override void OnFrame(InboundLink link, ReadOnlySpan<byte> payload)
    {
        Interlocked.Increment(ref _received);
        observer?.Invoke(payload);
        if (!silent)
        {
            link.Send(payload);
        }
    }

    public override void OnLinkDown(InboundLink link, string reason) => _links.TryRemove(link.Id, out _);

    /// <summary>Closes every link with close_notify, and those still handshaking as soon as they are up.</summary>
    public void DropLinks()
    {
        Interlocked.Exchange(ref _droppedAt, Stopwatch.GetTimestamp());
        foreach (var link in _links.Values)
        {
            link.Close(DropReason);
        }
    }
}
