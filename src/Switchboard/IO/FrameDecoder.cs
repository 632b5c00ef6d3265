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

    /// <summary>
    /// Feeds plaintext; calls <paramref name="onFrame"/> per complete data frame (heartbeats included, as
    /// empty spans). On an acknowledged link (<paramref name="onControl"/> given) a header with bit 31 set is
    /// a control frame, whose body (type byte and fields) goes to <paramref name="onControl"/>.
    /// </summary>
    /// <returns>null, or the size of a frame larger than the maximum (the link must be closed); without
    /// <paramref name="onControl"/> a header with bit 31 set counts as too large (<see cref="int.MaxValue"/>).</returns>
    public int? Feed<TState>(ReadOnlySpan<byte> data, TState state, FrameHandler<TState> onFrame, FrameHandler<TState>? onControl = null)
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

            var (pendingLength, pendingControl) = Header(_partial, onControl is not null);
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

            (pendingControl ? onControl! : onFrame)(state, _partial.AsSpan(HeaderLength, pendingLength));
            Reset();
        }

        while (data.Length >= HeaderLength)
        {
            var (length, control) = Header(data, onControl is not null);
            if (length < 0 || length > maxFrameSize)
            {
                return length < 0 ? int.MaxValue : length;
            }

            if (data.Length < HeaderLength + length)
            {
                break;
            }

            (control ? onControl! : onFrame)(state, data.Slice(HeaderLength, length));
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

    /// <summary>The body length, and whether bit 31 marked a control frame (only where control frames are allowed).</summary>
    private static (int Length, bool Control) Header(ReadOnlySpan<byte> header, bool controlAllowed)
    {
        var raw = BinaryPrimitives.ReadUInt32BigEndian(header);
        return controlAllowed && (raw & Framing.ControlBit) != 0
            ? ((int)(raw & ~Framing.ControlBit), true)
            : ((int)raw, false);
    }

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
