namespace Switchboard.IO;

/// <summary>
/// The connect, handshake and close deadlines of one IO actor's links, behind one timer. An Akka timer per
/// link costs half a dozen objects per attempt, and a cancelled one stays in the scheduler's wheel until it
/// would have fired: in a storm every attempt's deadlines lived for the whole handshake timeout, survived
/// every young collection on the way and made each one longer. Here a deadline is an entry in a heap of
/// structs; cancelling one only moves the link's <see cref="Link.DeadlineTicket"/> on, and the stale entry
/// is dropped when it reaches the front. The actor keeps one timer, due at the earliest live deadline.
/// </summary>
internal sealed class LinkDeadlines
{
    private readonly PriorityQueue<(long LinkId, long Ticket), TimeSpan> _heap = new();
    private long _tickets;

    public int Count => _heap.Count;

    /// <summary>Sets the link's one deadline (replacing any it had): at <paramref name="due"/>, if still in <paramref name="stage"/>.</summary>
    public void Arm(Link link, LinkState stage, TimeSpan due)
    {
        link.DeadlineTicket = ++_tickets;
        link.DeadlineStage = stage;
        _heap.Enqueue((link.Id, link.DeadlineTicket), due);
    }

    /// <summary>The link has no deadline any more (it is up). A link that is gone needs no call: it is no longer found.</summary>
    public static void Disarm(Link link) => link.DeadlineTicket = 0;

    /// <summary>When the earliest deadline a link still holds falls (dropping entries no link holds any more), or null when none is left.</summary>
    public TimeSpan? NextDue(Func<long, Link?> find)
    {
        while (_heap.TryPeek(out var entry, out var due))
        {
            if (find(entry.LinkId) is { } link && link.DeadlineTicket == entry.Ticket)
            {
                return due;
            }

            _heap.Dequeue();
        }

        return null;
    }

    /// <summary>Moves the links whose deadline passed by <paramref name="now"/> into <paramref name="expired"/>, disarmed, each with the stage it was armed for.</summary>
    public void TakeExpired(TimeSpan now, Func<long, Link?> find, List<(Link Link, LinkState Stage)> expired)
    {
        while (NextDue(find) is { } due && due <= now)
        {
            var link = find(_heap.Dequeue().LinkId)!;
            Disarm(link);
            expired.Add((link, link.DeadlineStage));
        }
    }
}
