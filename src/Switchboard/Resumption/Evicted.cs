namespace Switchboard.Resumption;

/// <summary>A value the store let go of, queued so the owner's callback runs after the sub-cache lock is released.</summary>
internal readonly record struct Evicted<TValue>(TValue Value, EvictionCause Cause);
