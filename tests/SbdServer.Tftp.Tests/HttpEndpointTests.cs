using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SbdServer.Core.Tftp;
using SbdServer.Tftp.Tests.Infrastructure;
using Xunit;

namespace SbdServer.Tftp.Tests;

/// <summary>HTTP 6970: same catalogue, Content-Length, ETag, conditional and range requests, 404 like ERROR 1.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private readonly TempTree _tree = new();
    private readonly RecordingObserver _observer = new();
    private readonly HttpClient _http = new();
    private byte[] _itl = [];
    private byte[] _big = [];
    private TftpTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _itl = _tree.Write("ITLFile.tlv", 5438, 1);
        _big = _tree.Write("firmware/big.loads", 3 * 1024 * 1024, 2);
        _server = await TftpTestServer.StartAsync(
            s => s["Tftp:Root"] = _tree.Path,
            services => services.AddSingleton<ITftpServedFileObserver>(_observer));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _tree.Dispose();
    }

    private string Url(string path) => $"http://127.0.0.1:{_server.HttpPort}/{path}";

    [Fact]
    public async Task Get_ServesBytes_WithLengthAndETag_AndRecordsTheDelivery()
    {
        using var response = await _http.GetAsync(Url("ITLSEP0011AA000009.tlv"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5438, response.Content.Headers.ContentLength);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal(_itl, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        await ServerBehaviourTests.WaitForAsync(() => !_observer.Served.IsEmpty);
        var served = Assert.Single(_observer.Served);
        Assert.Equal(TftpChannel.Http, served.Channel);
        Assert.Equal("ITLFile.tlv", served.ServedName);
    }

    [Fact]
    public async Task IfNoneMatch_Gets304()
    {
        using var first = await _http.GetAsync(Url("ITLFile.tlv"), TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("ITLFile.tlv"));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Range_OfALargeStaticFile_Gets206WithThoseBytes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("firmware/big.loads"));
        request.Headers.Range = new RangeHeaderValue(1_000_000, 1_000_099);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(100, response.Content.Headers.ContentLength);
        Assert.Equal(_big.AsSpan(1_000_000, 100).ToArray(),
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        using var whole = await _http.GetAsync(Url("firmware/big.loads"), TestContext.Current.CancellationToken);
        Assert.Equal(_big, await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Head_GivesTheLengthWithoutABody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, Url("ITLFile.tlv"));
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5438, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("missing.bin")]
    [InlineData("CTLSEP0011AA000001.tlv")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("firmware")]
    public async Task NotServable_Gets404_WithoutPaths(string path)
    {
        using var response = await _http.GetAsync(Url(path), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(_tree.Path, body, StringComparison.Ordinal);
    }
}
