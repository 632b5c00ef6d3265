namespace Switchboard.Resumption;

/// <summary>
/// Why a <see cref="SessionStore{TValue}"/> let go of a value it still owned. Taking a value out
/// (<see cref="SessionStore{TValue}.TryTake(ReadOnlySpan{byte}, out TValue)"/>) is not an eviction: the caller owns it
/// then, so the eviction callback never sees it.
/// </summary>
internal enum EvictionCause
{
    /// <summary>Its expiry (the lifetime from the session, capped by the configured max-age) passed.</summary>
    Expired,

    /// <summary>
    /// Scrolled out to make room in a full sub-cache: a spare (a value that was not its key's newest), oldest first.
    /// </summary>
    Full,

    /// <summary>
    /// Scrolled out of a full sub-cache although it was its key's only value: no key in the sub-cache had a spare
    /// left to give up, so an endpoint is now without a session.
    /// </summary>
    FullLast,

    /// <summary>A newer value for the same key replaced it, or pushed it off the key's shelf.</summary>
    Replaced,

    /// <summary>Removed on request (<c>Remove</c>, <c>Clear</c>).</summary>
    Removed,
}

internal static class EvictionCauseTags
{
    /// <summary>The metric tag: snake_case, as OpenTelemetry names values.</summary>
    public static string Tag(this EvictionCause cause) => cause switch
    {
        EvictionCause.Expired => "expired",
        EvictionCause.Full => "full",
        EvictionCause.FullLast => "full_last",
        EvictionCause.Replaced => "replaced",
        _ => "removed",
    };
}
