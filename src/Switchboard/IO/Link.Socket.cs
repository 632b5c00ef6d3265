using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;

namespace Switchboard.IO;

/// <summary>
/// The socket side of a link. Reads wait for readability (with <c>io.reactor = epoll</c>, an event from the IO
/// thread's own epoll set; with <c>dotnet</c>, a zero-byte receive on .NET's socket engine), then drain into
/// the IO actor's one shared buffer, so an idle link holds no receive buffer. Sends go straight to the kernel; only what the kernel refuses is copied into a pending
/// buffer, bounded so a peer that does not read cannot grow our memory.
/// </summary>
internal sealed partial class Link
{
    /// <summary>Bytes the kernel has not taken yet.</summary>
    public int PendingBytes => _pendingCount - _pendingOffset;

    /// <summary>Remembers a frame whose last ciphertext byte is the last byte queued so far.</summary>
    public void TrackUnsent(ReadOnlyMemory<byte> payload, IActorRef? replyTo)
    {
        if (PendingBytes > 0)
        {
            _unsent.Enqueue((_queuedTotal, payload, replyTo));
        }
    }

    /// <summary>The frames the kernel never fully took, in the order they were written.</summary>
    public IEnumerable<(ReadOnlyMemory<byte> Payload, IActorRef? ReplyTo)> TakeUnsent()
    {
        while (_unsent.TryDequeue(out var frame))
        {
            yield return (frame.Payload, frame.ReplyTo);
        }
    }

    public bool SendInProgress => _sendInProgress;

    public void BeginConnect(IPEndPoint address)
    {
        if (_reactor is not null)
        {
            // Watched only after connect(2): an unconnected socket reports a hang-up. Non-blocking already (Configure).
            var started = SocketReactor.BeginConnect(Descriptor, address);
            if (started is SocketError.Success or SocketError.WouldBlock && Watch() is var watched and not SocketError.Success)
            {
                started = watched;
            }

            if (started != SocketError.WouldBlock)
            {
                _io.Tell(new IoActor.SocketConnected(Id, started), ActorRefs.NoSender);
            }

            return;
        }

        var args = ReadArgs();
        args.RemoteEndPoint = address;
        if (!Socket!.ConnectAsync(args))
        {
            OnCompleted(null, args);
        }
    }

    /// <summary>Asks to be told (by a <see cref="IoActor.SocketReadable"/> message) when data or EOF arrives.</summary>
    public void WaitReadable()
    {
        if (_disposed)
        {
            return;
        }

        if (_reactor is not null)
        {
            // Edge-triggered: an arrival after the last WouldBlock brings an event; anything short of it
            // (a read budget used up, reading resumed after a pause) is read again on a message of our own.
            if (!_readBlocked)
            {
                _io.Tell(new IoActor.SocketReadable(Id, SocketError.Success), ActorRefs.NoSender);
            }

            return;
        }

        var args = ReadArgs();
        args.SetBuffer(Memory<byte>.Empty);
        bool pending;
        try
        {
            pending = Socket!.ReceiveAsync(args);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending)
        {
            OnCompleted(null, args);
        }
    }

    /// <summary>A non-blocking read: the socket is in non-blocking mode, so this returns WouldBlock rather than wait.</summary>
    public SocketError TryRead(Span<byte> buffer, out int received)
    {
        // A closed descriptor's number is the next socket's, perhaps another link's: once disposed, the link reads
        // and writes (SendNow) nothing, where a disposed .NET socket would throw, so a stray call reaches no peer.
        if (_disposed)
        {
            received = 0;
            return SocketError.OperationAborted;
        }

        SocketError error;
        if (Socket is null)
        {
            error = SocketDescriptor.Receive(_descriptor, buffer, out received);
        }
        else
        {
            received = Socket.Receive(buffer, SocketFlags.None, out error);
        }

        _readBlocked = error == SocketError.WouldBlock;
        return error;
    }

    /// <summary>Sends ciphertext: straight to the kernel when nothing is queued, otherwise behind what is.</summary>
    /// <returns>false when the pending buffer would exceed <paramref name="maxPending"/> or the socket failed.</returns>
    public bool Write(ReadOnlySpan<byte> data, int maxPending, out SocketError error)
    {
        error = SocketError.Success;
        if (data.IsEmpty)
        {
            return true;
        }

        if (!SendInProgress)
        {
            error = SendNow(data, out var sent);
            if (error is not SocketError.Success and not SocketError.WouldBlock)
            {
                return false;
            }

            error = SocketError.Success;
            data = data[Math.Max(sent, 0)..];
            if (data.IsEmpty)
            {
                return true;
            }
        }

        if (PendingBytes + data.Length > maxPending)
        {
            return false;
        }

        Enqueue(data);
        if (!SendInProgress)
        {
            StartSend();
        }

        return true;
    }

    /// <summary>Called by the IO actor when a background send finished; continues with what is still queued.</summary>
    public void SendCompleted(int bytes)
    {
        _sendInProgress = false;
        _pendingOffset += bytes;
        _sentTotal += bytes;
        while (_unsent.TryPeek(out var frame) && frame.End <= _sentTotal)
        {
            _unsent.Dequeue();
        }

        if (PendingBytes == 0)
        {
            ReleasePending();
            return;
        }

        StartSend();
    }

    private void Enqueue(ReadOnlySpan<byte> data)
    {
        if (_pending is null)
        {
            _pending = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 4096));
        }
        else if (_pendingCount + data.Length > _pending.Length)
        {
            if (!SendInProgress && PendingBytes + data.Length <= _pending.Length)
            {
                // Compact in place: nothing is being sent out of the buffer right now.
                _pending.AsSpan(_pendingOffset, PendingBytes).CopyTo(_pending);
                _pendingCount = PendingBytes;
                _pendingOffset = 0;
            }
            else
            {
                var bigger = ArrayPool<byte>.Shared.Rent((_pendingCount + data.Length) * 2);
                // The in-flight send still reads the old array, so the new one keeps the same offsets.
                _pending.AsSpan(0, _pendingCount).CopyTo(bigger);
                if (!SendInProgress)
                {
                    ArrayPool<byte>.Shared.Return(_pending);
                }
                else
                {
                    _retired = _pending;
                }

                _pending = bigger;
            }
        }

        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += data.Length;
        _queuedTotal += data.Length;
    }

    private void StartSend()
    {
        if (_disposed)
        {
            return;
        }

        if (_retired is not null)
        {
            ArrayPool<byte>.Shared.Return(_retired);
            _retired = null;
        }

        if (_reactor is not null)
        {
            // The reactor reports the socket writable again (EPOLLOUT's edge), and the IO actor flushes then.
            _sendInProgress = true;
            return;
        }

        _sendArgs ??= NewArgs();
        _sendArgs.SetBuffer(_pending.AsMemory(_pendingOffset, PendingBytes));
        _sendInProgress = true;
        bool pending;
        try
        {
            pending = Socket!.SendAsync(_sendArgs);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (!pending)
        {
            OnCompleted(null, _sendArgs);
        }
    }

    /// <summary>On an event loop: the socket reported something to read (or a hang-up), so the next read may find it.</summary>
    public void MarkReadable() => _readBlocked = false;

    /// <summary>On an event loop: registers the socket (non-blocking since the IO actor configured it); whatever already arrived is reported at once.</summary>
    public SocketError Watch()
    {
        if (_reactor is null)
        {
            return SocketError.Success;
        }

        _readBlocked = true;
        return _reactor.Register(Descriptor, Id);
    }

    /// <summary>On an event loop: how the connect its socket reported (in <paramref name="mask"/>) ended.</summary>
    public SocketError ConnectResult(uint mask) => SocketReactor.ConnectResult(Descriptor, mask);

    /// <summary>On an event loop, once the socket is writable: sends what is pending until the kernel refuses.</summary>
    public SocketError FlushPending(out int sent)
    {
        sent = 0;
        while (_pendingOffset + sent < _pendingCount)
        {
            var error = SendNow(_pending.AsSpan(_pendingOffset + sent, _pendingCount - _pendingOffset - sent), out var n);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                return error;
            }

            sent += n;
        }

        return SocketError.Success;
    }

    private int Descriptor => Socket is null ? _descriptor : (int)Socket.Handle;

    /// <summary>A non-blocking send of what the kernel takes now.</summary>
    private SocketError SendNow(ReadOnlySpan<byte> data, out int sent)
    {
        if (_disposed)
        {
            sent = 0;
            return SocketError.OperationAborted;
        }

        if (Socket is null)
        {
            return SocketDescriptor.Send(_descriptor, data, out sent);
        }

        sent = Socket.Send(data, SocketFlags.None, out var error);
        return error;
    }

    private void ReleasePending()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }

        _pendingOffset = 0;
        _pendingCount = 0;
    }

    private SocketAsyncEventArgs ReadArgs() => _readArgs ??= NewArgs();

    private SocketAsyncEventArgs NewArgs()
    {
        var args = new SocketAsyncEventArgs { UserToken = this };
        args.Completed += OnCompleted;
        return args;
    }

    // Runs on a socket-engine thread: it may only post to the IO actor, never touch the link's state.
    private static void OnCompleted(object? sender, SocketAsyncEventArgs args)
    {
        var link = (Link)args.UserToken!;
        object message = args.LastOperation switch
        {
            SocketAsyncOperation.Connect => new IoActor.SocketConnected(link.Id, args.SocketError),
            SocketAsyncOperation.Send => new IoActor.SocketSent(link.Id, args.BytesTransferred, args.SocketError),
            _ => new IoActor.SocketReadable(link.Id, args.SocketError),
        };
        link._io.Tell(message, ActorRefs.NoSender);
    }

    private void DisposeSocket()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Socket is null)
        {
            SocketDescriptor.Close(_descriptor);
        }
        else
        {
            try
            {
                Socket.Dispose();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        // The args may still be completing with an abort on the engine's thread; their buffers are
        // ours only once they are disposed, so the pending buffer goes back to the pool afterwards.
        _readArgs?.Dispose();
        _sendArgs?.Dispose();
        if (!SendInProgress)
        {
            ReleasePending();
        }
    }
}
