using System.Buffers.Binary;
using Switchboard.Testing.Fleet;

namespace Switchboard.Tests.Fleet;

public sealed class DeliveryLedgerSpec
{
    private static byte[] Message(long number)
    {
        var payload = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(payload, number);
        return payload;
    }

    [Fact]
    public void A_duplicate_counts_as_a_duplicate_and_cannot_make_up_for_a_lost_message()
    {
        var ledger = new DeliveryLedger();
        // Messages 0..3 sent; 2 lost, 1 delivered twice: sent − received would say nothing was lost.
        foreach (var number in new long[] { 0, 1, 1, 3 })
        {
            ledger.Record(Message(number));
        }

        Assert.Equal(3, ledger.Distinct);
        Assert.Equal(1, ledger.Duplicates);
        Assert.False(ledger.Contains(2));
        Assert.True(ledger.Contains(3));
    }

    [Fact]
    public void Payloads_without_a_number_are_counted_apart()
    {
        var ledger = new DeliveryLedger();
        ledger.Record([1, 2, 3]);
        ledger.Record(Message(-5));
        Assert.Equal(0, ledger.Distinct);
        Assert.Equal(2, ledger.Unnumbered);
    }

    [Fact]
    public void A_ledger_survives_its_file_and_merges_with_another_process_share()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.bin");
        try
        {
            var first = new DeliveryLedger();
            first.Record(Message(0));
            first.Record(Message(100_000)); // beyond the initial bitmap: it grows
            first.WriteTo(path);
            var read = DeliveryLedger.ReadFrom(path);
            Assert.Equal(2, read.Distinct);
            Assert.True(read.Contains(100_000));

            var second = new DeliveryLedger();
            second.Record(Message(1));
            second.Record(Message(0)); // also in the first share: a duplicate across processes
            read.Merge(second);
            Assert.Equal(3, read.Distinct);
            Assert.Equal(1, read.Duplicates);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_ledger_is_refused_by_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, new byte[64]);
            var e = Assert.Throws<InvalidDataException>(() => DeliveryLedger.ReadFrom(path));
            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
