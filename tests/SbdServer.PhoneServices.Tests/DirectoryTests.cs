using System.Net;
using System.Xml.Linq;
using SbdServer.PhoneServices.Tests.Support;
using Xunit;

namespace SbdServer.PhoneServices.Tests;

public sealed class DirectoryTests
{
    private static readonly (string First, string Last, string Number)[] People =
    [
        ("Anna", "Smith", "1001"),
        ("Bob", "smithers", "1002"),
        ("Carol", "Jones", "2001"),
        ("\"Q\" <x>", "O'Brien & <Sons>", "2002"),
    ];

    [Fact]
    public async Task Form_WithoutQuery_IsSearchInputPostingToTheList()
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var response = await client.Http.GetAsync("/ccmcip/xmldirectory.jsp", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("CiscoIPPhoneInput", xml.Name.LocalName);
        Assert.Equal($"https://{RunningServer.Fqdn}:{server.Port}/ccmcip/xmldirectorylist.jsp", (string?)xml.Element("URL"));
        Assert.Equal(["f", "l", "n"], xml.Elements("InputItem").Select(i => (string?)i.Element("QueryStringParam")));
        Assert.Equal(["First Name", "Last Name", "Number"], xml.Elements("InputItem").Select(i => (string?)i.Element("DisplayName")));
    }

    [Theory]
    [InlineData("/ccmcip/xmldirectory.jsp?l=smi", new[] { "Smith, Anna|1001", "smithers, Bob|1002" })]
    [InlineData("/ccmcip/xmldirectorylist.jsp?f=&l=SMITH&n=", new[] { "Smith, Anna|1001", "smithers, Bob|1002" })]
    [InlineData("/ccmcip/xmldirectorylist.jsp?f=b&l=smi", new[] { "smithers, Bob|1002" })]
    [InlineData("/ccmcip/xmldirectorylist.jsp?n=20", new[] { "Jones, Carol|2001", "O'Brien & <Sons>, \"Q\" <x>|2002" })]
    [InlineData("/ccmcip/xmldirectorylist.jsp", new[] { "Jones, Carol|2001", "O'Brien & <Sons>, \"Q\" <x>|2002", "Smith, Anna|1001", "smithers, Bob|1002" })]
    public async Task Search_ReturnsMatchesSortedByLastName(string url, string[] expected)
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var xml = await GetXmlAsync(client, url);

        Assert.Equal("CiscoIPPhoneDirectory", xml.Name.LocalName);
        Assert.Equal(expected, Entries(xml));
        Assert.Equal($"Records 1 to {expected.Length} of {expected.Length}", (string?)xml.Element("Prompt"));
    }

    [Fact]
    public async Task Search_NoMatch_SaysSoWithoutEntries()
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var xml = await GetXmlAsync(client, "/ccmcip/xmldirectory.jsp?l=zz");

        Assert.Empty(xml.Elements("DirectoryEntry"));
        Assert.Equal("No records found", (string?)xml.Element("Prompt"));
    }

    [Fact]
    public async Task Search_EmptyDirectory_AnswersNoRecords()
    {
        await using var server = await StartAsync([]);
        using var client = server.CreateClient();

        var xml = await GetXmlAsync(client, "/ccmcip/xmldirectory.jsp?f=&l=&n=");

        Assert.Empty(xml.Elements("DirectoryEntry"));
        Assert.Equal("No records found", (string?)xml.Element("Prompt"));
    }

    [Fact]
    public async Task Search_MarkupInNames_IsEscaped()
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var body = await client.Http.GetStringAsync("/ccmcip/xmldirectorylist.jsp?l=o", TestContext.Current.CancellationToken);

        Assert.Contains("O'Brien &amp; &lt;Sons&gt;, \"Q\" &lt;x&gt;", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<Sons>", body, StringComparison.Ordinal);
        Assert.Equal(["O'Brien & <Sons>, \"Q\" <x>|2002"], Entries(XElement.Parse(body)));
    }

    [Fact]
    public async Task Search_MoreThan32Matches_PagesBy32WithNextSoftKey()
    {
        var many = Enumerable.Range(1, 40).Select(i => ($"First{i:D2}", $"Last{i:D2}", $"{3000 + i}")).ToArray();
        await using var server = await StartAsync(many);
        using var client = server.CreateClient();

        var first = await GetXmlAsync(client, "/ccmcip/xmldirectory.jsp?l=last&f=&n=");

        Assert.Equal(32, first.Elements("DirectoryEntry").Count());
        Assert.Equal("Records 1 to 32 of 40", (string?)first.Element("Prompt"));
        var next = first.Elements("SoftKeyItem").Single(k => (string?)k.Element("Name") == "Next");
        var nextUrl = new Uri((string)next.Element("URL")!);
        Assert.Equal(RunningServer.Fqdn, nextUrl.Host);
        Assert.Equal("/ccmcip/xmldirectorylist.jsp", nextUrl.AbsolutePath);
        Assert.Equal("?f=&l=last&n=&start=33", nextUrl.Query);

        var second = await GetXmlAsync(client, nextUrl.PathAndQuery);

        Assert.Equal("Records 33 to 40 of 40", (string?)second.Element("Prompt"));
        Assert.Equal(["Last33, First33|3033"], Entries(second).Take(1));
        Assert.Equal(8, second.Elements("DirectoryEntry").Count());
        Assert.DoesNotContain(second.Elements("SoftKeyItem"), k => (string?)k.Element("Name") == "Next");
    }

    [Theory]
    [InlineData("/ccmcip/xmldirectory.jsp?l=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "64 characters")]
    [InlineData("/ccmcip/xmldirectorylist.jsp?start=0", "positive")]
    [InlineData("/ccmcip/xmldirectorylist.jsp?start=-3", "positive")]
    [InlineData("/ccmcip/xmldirectorylist.jsp?start=abc", "positive")]
    [InlineData("/ccmcip/xmldirectorylist.jsp?l=a&l=b", "once")]
    public async Task Search_BadParameters_400WithReason(string url, string reason)
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var response = await client.Http.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_StartBeyondTheEnd_AnswersEmptyPage()
    {
        await using var server = await StartAsync(People);
        using var client = server.CreateClient();

        var xml = await GetXmlAsync(client, "/ccmcip/xmldirectorylist.jsp?start=99");

        Assert.Empty(xml.Elements("DirectoryEntry"));
        Assert.Equal("No records found", (string?)xml.Element("Prompt"));
    }

    private static Task<RunningServer> StartAsync((string First, string Last, string Number)[] people) =>
        RunningServer.StartAsync(o =>
        {
            foreach (var (first, last, number) in people)
            {
                o.Directory.Add(new PhoneDirectoryEntry { FirstName = first, LastName = last, Telephone = number });
            }
        });

    private static async Task<XElement> GetXmlAsync(CapturingClient client, string url)
    {
        var response = await client.Http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XElement.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static string[] Entries(XElement xml) =>
        [.. xml.Elements("DirectoryEntry").Select(e => $"{(string?)e.Element("Name")}|{(string?)e.Element("Telephone")}")];
}
