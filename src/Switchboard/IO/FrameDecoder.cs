using System.Buffers;
using System.Buffers.Binary;

namespace Switchboard.IO;

/// <summary>
/// Splits a link's plaintext into frames. It holds bytes only while a frame is incomplete, and rents that
/// buffer on demand, so an idle link costs no receive memory.
/// </summary>
internal sealed class FrameDecoder(int maxFrameSize) : IDisposable
{
    private byte[]? _partial;
    private int _partialCount;

    /// <summary>Feeds plaintext; calls <paramref name="onFrame"/> per complete frame (heartbeats included, as empty spans).</summary>
    /// <returns>null, or the size of a frame larger than the maximum (the link must be closed).</returns>
    public int? Feed<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame)
    {
        while (_partialCount > 0)
        {
            // Complete the pending frame from the front of the new data first.
            if (_partialCount < HeaderLength)
            {
                var headerTake = Math.Min(HeaderLength - _partialCount, data.Length);
                Append(data[..headerTake]);
                data = data[headerTake..];
                if (_partialCount < HeaderLength)
                {
                    return null;
                }
            }

            var pendingLength = BinaryPrimitives.ReadInt32BigEndian(_partial);
            if (pendingLength < 0 || pendingLength > maxFrameSize)
            {
                return pendingLength < 0 ? int.MaxValue : pendingLength;
            }

            var total = HeaderLength + pendingLength;
            var take = Math.Min(total - _partialCount, data.Length);
            Append(data[..take]);
            data = data[take..];
            if (_partialCount < total)
            {
                return null;
            }

            onFrame(state, _partial.AsSpan(HeaderLength, pendingLength));
            Reset();
        }

        while (data.Length >= HeaderLength)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data);
            if (length < 0 || length > maxFrameSize)
            {
                return length < 0 ? int.MaxValue : length;
            }

            if (data.Length < HeaderLength + length)
            {
                break;
            }

            onFrame(state, data.Slice(HeaderLength, length));
            data = data[(HeaderLength + length)..];
        }

        if (!data.IsEmpty)
        {
            Append(data);
        }

        return null;
    }

    public void Dispose() => Reset();

    private const int HeaderLength = Framing.HeaderLength;

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_partial is null || _partial.Length < _partialCount + data.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_partialCount + data.Length, 256));
            if (_partial is not null)
            {
                _partial.AsSpan(0, _partialCount).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_partial);
            }

            _partial = bigger;
        }

        data.CopyTo(_partial.AsSpan(_partialCount));
        _partialCount += data.Length;
    }

    private void Reset()
    {
        if (_partial is not null)
        {
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = null;
        }

        _partialCount = 0;
    }
}
