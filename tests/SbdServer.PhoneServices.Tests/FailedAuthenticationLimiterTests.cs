using System.Net;
using Microsoft.Extensions.Time.Testing;
using SbdServer.PhoneServices.Authentication;
using Xunit;

namespace SbdServer.PhoneServices.Tests;

public sealed class FailedAuthenticationLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");
    private static readonly IPAddress C = IPAddress.Parse("10.0.0.3");

    [Fact]
    public void Failures_BlockOnlyTheirAddress_UntilTheWindowEnds()
    {
        var time = new FakeTimeProvider();
        var limiter = new FailedAuthenticationLimiter(time, maxFailures: 2, TimeSpan.FromSeconds(60));

        limiter.RecordFailure(A);
        Assert.False(limiter.IsBlocked(A, out _, out var failures));
        Assert.Equal(1, failures);
        time.Advance(TimeSpan.FromSeconds(10));
        limiter.RecordFailure(A);

        Assert.True(limiter.IsBlocked(A, out var retryAfter, out _));
        Assert.Equal(TimeSpan.FromSeconds(50), retryAfter);
        Assert.False(limiter.IsBlocked(B, out _, out _));

        // Fixed window: it started with the first failure, not the last.
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.False(limiter.IsBlocked(A, out _, out failures));
        Assert.Equal(0, failures);
    }

    [Fact]
    public void FullTable_RefusesNewAddresses_UntilWindowsExpire()
    {
        var time = new FakeTimeProvider();
        var limiter = new FailedAuthenticationLimiter(time, maxFailures: 5, TimeSpan.FromSeconds(60), maxTrackedAddresses: 2);
        limiter.RecordFailure(A);
        limiter.RecordFailure(B);

        Assert.True(limiter.IsBlocked(C, out _, out _));
        Assert.False(limiter.IsBlocked(A, out _, out _));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(limiter.IsBlocked(C, out _, out _));
        limiter.RecordFailure(C);
        Assert.False(limiter.IsBlocked(C, out _, out var failures));
        Assert.Equal(1, failures);
    }
}
