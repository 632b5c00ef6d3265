using Switchboard.Resumption;
using Switchboard.Tls;

namespace Switchboard.Tests.Resumption;

public sealed class TicketKeyRingSpec
{
    private static readonly DateTime T0 = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_new_ring_has_distinct_random_current_and_next_keys_of_the_right_sizes()
    {
        var keys = TicketKeyRing.Create(T0).Keys;

        Assert.Null(keys.Previous);
        Assert.NotNull(keys.Next);
        foreach (var key in new[] { keys.Current, keys.Next! })
        {
            Assert.Equal(TicketKey.NameLength, key.Name.Length);
            Assert.Equal(TicketKey.SecretLength, key.HmacKey.Length);
            Assert.Equal(TicketKey.SecretLength, key.AesKey.Length);
            Assert.NotEqual(key.HmacKey, key.AesKey);
        }

        Assert.NotEqual(keys.Current.Name, keys.Next!.Name);
        Assert.NotEqual(TicketKeyRing.Create(T0).Keys.Current.AesKey, keys.Current.AesKey);
    }

    [Fact]
    public void Rotation_moves_current_to_previous_and_next_to_current()
    {
        var ring = TicketKeyRing.Create(T0);
        var before = ring.Keys;

        var after = ring.Rotate(T0.AddHours(12));

        Assert.Same(before.Current, after.Previous);
        Assert.Same(before.Next, after.Current);
        Assert.NotNull(after.Next);
        Assert.NotEqual(before.Next!.Name, after.Next!.Name);
        Assert.Equal(T0.AddHours(12), after.Next.CreatedUtc);
        Assert.Same(after, ring.Keys);
    }

    [Fact]
    public void Rotation_is_due_once_the_period_has_passed_since_the_last_one()
    {
        var ring = TicketKeyRing.Create(T0);

        Assert.False(ring.IsRotationDue(T0.AddHours(11), TimeSpan.FromHours(12)));
        Assert.True(ring.IsRotationDue(T0.AddHours(12), TimeSpan.FromHours(12)));
        ring.Rotate(T0.AddHours(12));
        Assert.False(ring.IsRotationDue(T0.AddHours(13), TimeSpan.FromHours(12)));
    }

    [Fact]
    public void Keys_survive_serialization_byte_for_byte()
    {
        var ring = TicketKeyRing.Create(T0);
        ring.Rotate(T0.AddHours(1));

        Assert.True(TicketKeyRing.TryDeserialize(ring.Serialize(), out var restored, out var error), error);

        Assert.Equal(ring.RotatedAtUtc, restored!.RotatedAtUtc);
        AssertSameKey(ring.Keys.Previous!, restored.Keys.Previous!);
        AssertSameKey(ring.Keys.Current, restored.Keys.Current);
        AssertSameKey(ring.Keys.Next!, restored.Keys.Next!);
    }

    [Fact]
    public void Malformed_key_bytes_are_refused_with_a_reason()
    {
        var bytes = TicketKeyRing.Create(T0).Serialize();

        Assert.False(TicketKeyRing.TryDeserialize(bytes.AsSpan(0, bytes.Length - 1), out var ring, out var error));
        Assert.Null(ring);
        Assert.Contains("expected", error);

        bytes[0] = 9;
        Assert.False(TicketKeyRing.TryDeserialize(bytes, out _, out error));
        Assert.Contains("unknown format", error);
    }

    private static void AssertSameKey(TicketKey expected, TicketKey actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.HmacKey, actual.HmacKey);
        Assert.Equal(expected.AesKey, actual.AesKey);
        Assert.Equal(expected.CreatedUtc, actual.CreatedUtc);
    }
}
