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
/// descriptor and nothing else, and its handshake deadline starts on the grant, as an outbound one's does.
/// </summary>
internal sealed partial class ListenerActor
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private int Pending => _waiting.Count + _handshaking.Count;

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

        IPAddress source;
        try
        {
            source = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            socket.Dispose(); // reset before we looked at it
            return;
        }

        var fromSource = _perAddress.GetValueOrDefault(source);
        if (fromSource >= _options.MaxPendingPerAddress)
        {
            Refuse(socket, "address_cap");
            return;
        }

        _perAddress[source] = fromSource + 1;
        _waiting.Enqueue(new Waiting(socket, source, Stopwatch.GetTimestamp()));
        if (!_sweeping && _options.WaitDeadline > TimeSpan.Zero)
        {
            _sweeping = true;
            Timers.StartPeriodicTimer(nameof(SweepWaiting), new SweepWaiting(), SweepInterval);
        }

        Pump();
    }

    /// <summary>Starts handshakes for waiting connections while the inbound share and the gate allow.</summary>
    private void Pump()
    {
        while (_waiting.Count > 0 && _requested == 0)
        {
            if (_options.Gate is not { } gate)
            {
                StartHandshake(0);
                continue;
            }

            // At least one inbound handshake may always run, whatever the share of a small limit.
            var share = Math.Max(1, (int)(gate.Limit * _options.InboundShare));
            if (_handshaking.Count >= share)
            {
                return; // an inbound handshake that ends pumps again
            }

            if (!gate.TryEnter(Self, out var ticket))
            {
                _requested = ticket;
                return;
            }

            StartHandshake(ticket);
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
        if (_waiting.Count == 0)
        {
            _options.Gate?.Release(ticket); // everyone who waited for it gave up meanwhile
            return;
        }

        StartHandshake(ticket);
        Pump();
    }

    /// <summary>Hands the oldest waiting connection still worth a handshake to an IO actor, under <paramref name="ticket"/>.</summary>
    private void StartHandshake(long ticket)
    {
        while (_waiting.TryDequeue(out var next))
        {
            if (Expired(next))
            {
                Forget(next.Source);
                Refuse(next.Socket, "wait_deadline");
                continue;
            }

            var id = LinkIds.Next();
            _handshaking[id] = new Handshaking(next.Source, ticket);
            _io.Tell(new Io.AcceptLink(id, next.Socket, _context, _options.Handler, Self, _deliveries));
            return;
        }

        if (ticket != 0)
        {
            _options.Gate?.Release(ticket);
        }
    }

    private void HandshakeEnded(Io.InboundHandshakeEnded ended)
    {
        if (!_handshaking.Remove(ended.LinkId, out var handshake))
        {
            return;
        }

        Forget(handshake.Source);
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
        if (_waiting.Count == 0)
        {
            _sweeping = false;
            Timers.Cancel(nameof(SweepWaiting));
            return;
        }

        // FIFO: the oldest are at the front, and only they can have expired.
        while (_waiting.TryPeek(out var oldest) && Expired(oldest))
        {
            _waiting.Dequeue();
            Forget(oldest.Source);
            Refuse(oldest.Socket, "wait_deadline");
        }
    }

    private bool Expired(Waiting waiting) =>
        _options.WaitDeadline > TimeSpan.Zero && Stopwatch.GetElapsedTime(waiting.AcceptedAt) > _options.WaitDeadline;

    private void Forget(IPAddress source)
    {
        if (_perAddress.TryGetValue(source, out var count) && count > 1)
        {
            _perAddress[source] = count - 1;
        }
        else
        {
            _perAddress.Remove(source);
        }
    }

    /// <summary>On stop: waiting connections are closed, and every slot held goes back to the gate.</summary>
    private void ReleaseAll()
    {
        while (_waiting.TryDequeue(out var waiting))
        {
            waiting.Socket.Dispose();
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
