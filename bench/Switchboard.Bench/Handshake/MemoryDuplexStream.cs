using System.Threading.Channels;

namespace Switchboard.Bench.Handshake;

/// <summary>One end of an in-memory full-duplex byte stream (for the SslStream pair); async only.</summary>
internal sealed class MemoryDuplexStream : Stream
{
    private readonly Channel<byte[]> _incoming;
    private readonly Channel<byte[]> _outgoing;
    private ReadOnlyMemory<byte> _leftover;

    private MemoryDuplexStream(Channel<byte[]> incoming, Channel<byte[]> outgoing)
    {
        this._incoming = incoming;
        this._outgoing = outgoing;
    }

    public static (MemoryDuplexStream A, MemoryDuplexStream B) CreatePair()
    {
        var options = new UnboundedChannelOptions { SingleReader = true, SingleWriter = true };
        var aToB = Channel.CreateUnbounded<byte[]>(options);
        var bToA = Channel.CreateUnbounded<byte[]>(options);
        return (new MemoryDuplexStream(bToA, aToB), new MemoryDuplexStream(aToB, bToA));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_leftover.IsEmpty)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken) || !_incoming.Reader.TryRead(out var chunk))
            {
                return 0;
            }
            _leftover = chunk;
        }
        var count = Math.Min(buffer.Length, _leftover.Length);
        _leftover[..count].CopyTo(buffer);
        _leftover = _leftover[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!buffer.IsEmpty)
        {
            _outgoing.Writer.TryWrite(buffer.ToArray());
        }
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _outgoing.Writer.TryComplete();
        }
        base.Dispose(disposing);
    }
}
