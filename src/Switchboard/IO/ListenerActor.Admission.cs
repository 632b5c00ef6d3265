using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Switchboard.Diagnostics;
using Switchboard.Supervision;

namespace Switchboard.IO;

/// <summary>
/// Admission of accepted connections: caps on what is not yet authenticated (in all and per source
/// address), then a slot of the shared gate within the inbound share, then the handshake on an IO actor.
/// A connection waiting for its slot is not read: its ClientHello stays in the kernel, costing us a
/// descriptor and nothing else. Unlike an outbound attempt, its client's clock has been running since it
/// connected, so the listener's request for a slot goes ahead of the outbound endpoints' in the gate, and
/// waiting connections are served in turns by source address. One address may hold at most three quarters
/// of the inbound share in handshakes: a flood that stalls each handshake until the timeout would otherwise
/// hold every inbound slot for that long, and an agent from another address would wait past its deadline.
/// </summary>
internal sealed partial class ListenerActor
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private int Pending => _waitingCount + (_chosen is null ? 0 : 1) + _handshaking.Count;

    /// <summary>Inbound handshakes allowed at once: the share of the gate's limit, at least one.</summary>
    private int InboundShare => _options.Gate is { } gate ? Math.Max(1, (int)(gate.Limit * _options.InboundShare)) : int.MaxValue;

    /// <summary>Handshakes one address may hold at once: a quarter of the share stays for the others.</summary>
    private int PerSourceHandshakes => InboundShare is var share && share > 1 ? share - Math.Max(1, share / 4) : 1;

    private void Admit(Socket socket)
    {
        if (DescriptorBudget.InReserve(socket.Handle))
        {
            if (!_inReserve)
            {
                _log.Warning("refusing connections on {0}: the process is within a tenth of its open-file limit (descriptor {1} of {2} reserved for the runtime)",
                    _options.Address, (long)socket.Handle, DescriptorBudget.RefuseFrom);
                _inReserve = true;
            }

            Refuse(socket, "descriptors");
            return;
        }

        _inReserve = false;
        if (Pending >= _options.MaxPendingHandshakes)
        {
            Refuse(socket, "pending_cap");
            return;
        }

        IPAddress address;
        try
        {
            address = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose(); // reset before we looked at it
            return;
        }

        if (!_sources.TryGetValue(address, out var source))
        {
            _sources[address] = source = new Source();
        }

        if (source.Pending >= _options.MaxPendingPerAddress)
        {
            Refuse(socket, "address_cap");
            return;
        }

        source.Waiting.Enqueue(new Waiting(socket, address, Stopwatch.GetTimestamp()));
        _waitingCount++;
        if (!source.InTurns)
        {
            source.InTurns = true;
            _turns.Enqueue(address);
        }

        if (!_sweeping && _options.WaitDeadline > TimeSpan.Zero)
        {
            _sweeping = true;
            Timers.StartPeriodicTimer(nameof(SweepWaiting), new SweepWaiting(), SweepInterval);
        }

        Pump();
    }

    /// <summary>Starts handshakes for waiting connections while the inbound share, the per-address share and the gate allow.</summary>
    private void Pump()
    {
        // An inbound handshake that ends pumps again, and so does the slot when it is granted.
        while (_waitingCount > 0 && _requested == 0 && _handshaking.Count < InboundShare)
        {
            if (!TryNextTurn(out var next))
            {
                return; // every address with a connection waiting holds its share
            }

            var ticket = 0L;
            if (_options.Gate is { } gate && !gate.TryEnter(Self, out ticket, ahead: true))
            {
                (_requested, _chosen) = (ticket, next);
                return;
            }

            StartHandshake(next, ticket);
        }
    }

    private void OnSlot(long ticket)
    {
        if (ticket != _requested)
        {
            _options.Gate?.Release(ticket);
            return;
        }

        _requested = 0;
        if (_chosen is { } chosen)
        {
            _chosen = null;
            if (Expired(chosen))
            {
                Abandon(chosen); // then the slot goes to the next turn
            }
            else
            {
                StartHandshake(chosen, ticket);
                Pump();
                return;
            }
        }

        if (TryNextTurn(out var next))
        {
            StartHandshake(next, ticket);
        }
        else
        {
            _options.Gate?.Release(ticket); // everyone who waited for it gave up meanwhile, or their address holds its share
        }

        Pump();
    }

    /// <summary>
    /// Takes the next connection worth a handshake, one address after another, skipping addresses that
    /// hold their share and refusing connections whose client has surely given up. The one taken counts
    /// against its address's share from now on.
    /// </summary>
    private bool TryNextTurn(out Waiting next)
    {
        var limit = PerSourceHandshakes;
        var skipped = 0;
        while (_turns.Count > skipped)
        {
            var address = _turns.Dequeue();
            var source = _sources[address];
            if (source.Waiting.Count == 0)
            {
                source.InTurns = false;
                ForgetIfIdle(address, source);
                continue;
            }

            if (source.Admitted >= limit)
            {
                _turns.Enqueue(address);
                skipped++;
                continue;
            }

            var waiting = source.Waiting.Dequeue();
            _waitingCount--;
            if (source.Waiting.Count > 0)
            {
                _turns.Enqueue(address);
            }
            else
            {
                source.InTurns = false;
            }

            if (Expired(waiting))
            {
                ForgetIfIdle(address, source);
                Refuse(waiting.Socket, "wait_deadline");
                skipped = 0; // the queue moved: look at every address again
                continue;
            }

            source.Admitted++;
            next = waiting;
            return true;
        }

        next = default;
        return false;
    }

    /// <summary>A connection taken for a slot whose client gave up before the slot came.</summary>
    private void Abandon(Waiting chosen)
    {
        var source = _sources[chosen.Address];
        source.Admitted--;
        ForgetIfIdle(chosen.Address, source);
        Refuse(chosen.Socket, "wait_deadline");
    }

    /// <summary>Hands <paramref name="next"/> to an IO actor, under <paramref name="ticket"/>.</summary>
    private void StartHandshake(Waiting next, long ticket)
    {
        var id = LinkIds.Next();
        _handshaking[id] = new Handshaking(next.Address, ticket);
        _io.Tell(new Io.AcceptLink(id, next.Socket, _context, _options.Handler, Self, _deliveries));
    }

    private void HandshakeEnded(Io.InboundHandshakeEnded ended)
    {
        if (!_handshaking.Remove(ended.LinkId, out var handshake))
        {
            return;
        }

        var source = _sources[handshake.Address];
        source.Admitted--;
        ForgetIfIdle(handshake.Address, source);
        if (ended.Succeeded)
        {
            _up.Add(ended.LinkId);
        }

        if (handshake.Ticket != 0)
        {
            _options.Gate?.Release(handshake.Ticket, ended.TimedOut ? AdmissionGate.Outcome.TimedOut : AdmissionGate.Outcome.Completed);
        }

        Pump();
    }

    /// <summary>Connections whose client has surely given up are closed while they wait, not when their turn comes.</summary>
    private void Sweep()
    {
        if (_waitingCount == 0)
        {
            _sweeping = false;
            Timers.Cancel(nameof(SweepWaiting));
            return;
        }

        foreach (var (address, source) in _sources.ToArray())
        {
            // FIFO per address: the oldest are at the front, and only they can have expired.
            while (source.Waiting.TryPeek(out var oldest) && Expired(oldest))
            {
                source.Waiting.Dequeue();
                _waitingCount--;
                Refuse(oldest.Socket, "wait_deadline");
            }

            ForgetIfIdle(address, source);
        }
    }

    private bool Expired(Waiting waiting) =>
        _options.WaitDeadline > TimeSpan.Zero && Stopwatch.GetElapsedTime(waiting.AcceptedAt) > _options.WaitDeadline;

    /// <summary>An address with nothing pending and no turn left is dropped, so the map holds only live sources.</summary>
    private void ForgetIfIdle(IPAddress address, Source source)
    {
        if (source.Pending == 0 && !source.InTurns)
        {
            _sources.Remove(address);
        }
    }

    /// <summary>On stop: waiting connections are closed, and every slot held goes back to the gate.</summary>
    private void ReleaseAll()
    {
        _chosen?.Socket.Dispose();
        foreach (var source in _sources.Values)
        {
            while (source.Waiting.TryDequeue(out var waiting))
            {
                waiting.Socket.Dispose();
            }
        }

        if (_options.Gate is not { } gate)
        {
            return;
        }

        if (_requested != 0)
        {
            gate.Release(_requested);
        }

        foreach (var handshake in _handshaking.Values.Where(h => h.Ticket != 0))
        {
            gate.Release(handshake.Ticket);
        }
    }

    /// <summary>Refuse at once: a reset costs the flood nothing we would have to wait for.</summary>
    private static void Refuse(Socket socket, string reason)
    {
        SwitchboardMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already reset by the peer: nothing left to refuse
        }

        socket.Dispose();
    }
}
