using System.Buffers.Binary;

namespace Switchboard.Testing.Fleet;

/// <summary>
/// Which numbered messages arrived, each counted once: a message's number is its payload's first 8 bytes
/// (big-endian), as the faults benchmark sends them. A copy of a number already seen counts as a
/// duplicate, never as a second delivery, so a duplicate cannot hide a loss. Thread-safe; saved to a file
/// (written whole, then renamed) so another process can read it.
/// </summary>
public sealed class DeliveryLedger
{
    private const long Magic = 0x3130_4744_454C_4253; // "SBLEDG01", little-endian
    private const long MaxNumber = 1L << 31; // 256 MiB of bitmap at most: far beyond any benchmark run

    private readonly Lock _lock = new();
    private ulong[] _bits = new ulong[1024];
    private long _distinct;
    private long _duplicates;
    private long _unnumbered;

    /// <summary>Distinct numbers seen.</summary>
    public long Distinct
    {
        get
        {
            lock (_lock)
            {
                return _distinct;
            }
        }
    }

    /// <summary>Copies of numbers already seen.</summary>
    public long Duplicates
    {
        get
        {
            lock (_lock)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>Payloads too short to carry a number, or with one out of range.</summary>
    public long Unnumbered
    {
        get
        {
            lock (_lock)
            {
                return _unnumbered;
            }
        }
    }

    public void Record(ReadOnlySpan<byte> payload)
    {
        var number = payload.Length >= sizeof(long) ? BinaryPrimitives.ReadInt64BigEndian(payload) : -1;
        lock (_lock)
        {
            if (number is < 0 or >= MaxNumber)
            {
                _unnumbered++;
                return;
            }

            var word = (int)(number >> 6);
            if (word >= _bits.Length)
            {
                Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
            }

            var bit = 1UL << (int)(number & 63);
            if ((_bits[word] & bit) != 0)
            {
                _duplicates++;
                return;
            }

            _bits[word] |= bit;
            _distinct++;
        }
    }

    public bool Contains(long number)
    {
        lock (_lock)
        {
            var word = number >> 6;
            return number >= 0 && word < _bits.Length && (_bits[word] & (1UL << (int)(number & 63))) != 0;
        }
    }

    /// <summary>Adds another ledger's numbers (another process's share of the fleet); a number in both counts as a duplicate.</summary>
    public void Merge(DeliveryLedger other)
    {
        ulong[] bits;
        long duplicates, unnumbered;
        lock (other._lock)
        {
            bits = (ulong[])other._bits.Clone();
            (duplicates, unnumbered) = (other._duplicates, other._unnumbered);
        }

        lock (_lock)
        {
            if (bits.Length > _bits.Length)
            {
                Array.Resize(ref _bits, bits.Length);
            }

            for (var i = 0; i < bits.Length; i++)
            {
                var both = ulong.PopCount(_bits[i] & bits[i]);
                _duplicates += (long)both;
                _distinct += (long)(ulong.PopCount(bits[i]) - both);
                _bits[i] |= bits[i];
            }

            _duplicates += duplicates;
            _unnumbered += unnumbered;
        }
    }

    /// <summary>Writes the ledger to <paramref name="path"/>: to a temporary file first, so a reader never sees half of it.</summary>
    public void WriteTo(string path)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            lock (_lock)
            {
                writer.Write(Magic);
                writer.Write(_distinct);
                writer.Write(_duplicates);
                writer.Write(_unnumbered);
                writer.Write(_bits.Length);
                foreach (var word in _bits)
                {
                    writer.Write(word);
                }
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The file is not a ledger.</exception>
    public static DeliveryLedger ReadFrom(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt64() != Magic)
        {
            throw new InvalidDataException($"{path} is not a delivery ledger");
        }

        var ledger = new DeliveryLedger
        {
            _distinct = reader.ReadInt64(),
            _duplicates = reader.ReadInt64(),
            _unnumbered = reader.ReadInt64(),
        };
        var words = reader.ReadInt32();
        if (words < 0 || words > MaxNumber / 64)
        {
            throw new InvalidDataException($"{path} claims {words} bitmap words");
        }

        ledger._bits = new ulong[Math.Max(words, 1)];
        for (var i = 0; i < words; i++)
        {
            ledger._bits[i] = reader.ReadUInt64();
        }

        return ledger;
    }
}
