namespace Switchboard.Tests.Resumption;

/// <summary>A clock the test moves by hand, so expiry is tested without waiting.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTime UtcNow => now.UtcDateTime;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
