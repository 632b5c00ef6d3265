using System.Net.Sockets;
using Akka.Actor;
using Switchboard.IO;

namespace Switchboard.Tests.IO;

public sealed class LinkDeadlinesSpec : IDisposable
{
    private readonly Dictionary<long, Link> _links = [];
    private readonly LinkDeadlines _deadlines = new();

    private Link NewLink(long id)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var link = Link.Dialed(id, socket, $"endpoint-{id}", ActorRefs.Nobody, 1024, new Link.OutboundSide(ActorRefs.Nobody, null, null));
        _links[id] = link;
        return link;
    }

    private Link? Find(long id) => _links.GetValueOrDefault(id);

    private List<(long Id, LinkState Stage)> Expire(double nowSeconds)
    {
        var expired = new List<(Link Link, LinkState Stage)>();
        _deadlines.TakeExpired(TimeSpan.FromSeconds(nowSeconds), Find, expired);
        return [.. expired.Select(e => (e.Link.Id, e.Stage))];
    }

    [Fact]
    public void Deadlines_come_due_in_time_order_not_in_the_order_they_were_set()
    {
        var late = NewLink(1);
        var early = NewLink(2);
        _deadlines.Arm(late, LinkState.Handshaking, TimeSpan.FromSeconds(10));
        _deadlines.Arm(early, LinkState.Connecting, TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), _deadlines.NextDue(Find));
        Assert.Empty(Expire(4.999));
        Assert.Equal([(2L, LinkState.Connecting)], Expire(5));
        Assert.Equal(TimeSpan.FromSeconds(10), _deadlines.NextDue(Find));
        Assert.Equal([(1L, LinkState.Handshaking)], Expire(60));
        Assert.Null(_deadlines.NextDue(Find));
    }

    [Fact]
    public void A_new_deadline_replaces_the_links_old_one_and_the_old_one_never_fires()
    {
        var link = NewLink(1);
        _deadlines.Arm(link, LinkState.Connecting, TimeSpan.FromSeconds(15));
        _deadlines.Arm(link, LinkState.Handshaking, TimeSpan.FromSeconds(20));

        Assert.Empty(Expire(19));
        Assert.Equal([(1L, LinkState.Handshaking)], Expire(20));
        Assert.Empty(Expire(100));
        Assert.Equal(0, _deadlines.Count);
    }

    [Fact]
    public void A_link_that_came_up_or_was_forgotten_holds_no_deadline_and_its_entry_is_dropped_without_waiting_for_it()
    {
        var up = NewLink(1);
        var gone = NewLink(2);
        var stalled = NewLink(3);
        _deadlines.Arm(up, LinkState.Handshaking, TimeSpan.FromSeconds(10));
        _deadlines.Arm(gone, LinkState.Handshaking, TimeSpan.FromSeconds(11));
        _deadlines.Arm(stalled, LinkState.Handshaking, TimeSpan.FromSeconds(12));

        LinkDeadlines.Disarm(up);
        _links.Remove(gone.Id);
        gone.Dispose();

        // The timer is set for the earliest deadline a link still holds, not for the entries ahead of it.
        Assert.Equal(TimeSpan.FromSeconds(12), _deadlines.NextDue(Find));
        Assert.Equal(1, _deadlines.Count);
        Assert.Equal([(3L, LinkState.Handshaking)], Expire(12));
    }

    [Fact]
    public void Expiring_disarms_so_a_deadline_fires_once()
    {
        var link = NewLink(1);
        _deadlines.Arm(link, LinkState.Closing, TimeSpan.FromSeconds(5));

        Assert.Single(Expire(5));
        Assert.Equal(0, link.DeadlineTicket);
        Assert.Empty(Expire(6));
    }

    public void Dispose()
    {
        foreach (var link in _links.Values)
        {
            link.Dispose();
        }
    }
}
