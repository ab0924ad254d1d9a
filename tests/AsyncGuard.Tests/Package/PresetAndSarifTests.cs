using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// The CI path: a consumer built with <c>-p:ErrorLog=...%2Cversion=2.1</c> writes SARIF 2.1
/// with our ids, levels, locations and help links; each <c>AsyncGuardMode</c> preset sets the
/// severities it promises; the user's own <c>.editorconfig</c> still wins over a preset.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class PresetAndSarifTests
{
    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public PresetAndSarifTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    public static TheoryData<string, string, string, string> Modes() => new()
    {
        // mode, then the SARIF level of AGD0001 (Blocking, Warning), AGD0004 (SyncOverAsync, Info), AGD0030 (TaskLifetime, Info); "-" = not reported
        { "recommended", "warning", "note", "note" },
        { "strict", "warning", "warning", "warning" },
        { "minimal", "warning", "note", "-" },
        { "none", "-", "-", "-" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Preset_SetsTheSeveritiesItPromises(string mode, string ag0001, string ag0004, string ag0030)
    {
        var results = await BuildWithSarifAsync(mode, editorConfig: null);
        Assert.Equal(ag0001, results.GetValueOrDefault("AGD0001", "-"));
        Assert.Equal(ag0004, results.GetValueOrDefault("AGD0004", "-"));
        Assert.Equal(ag0030, results.GetValueOrDefault("AGD0030", "-"));
    }

    [Fact]
    public async Task UsersEditorConfig_WinsOverPreset()
    {
        var results = await BuildWithSarifAsync("strict", editorConfig: "[*.cs]\ndotnet_diagnostic.AGD0001.severity = none\ndotnet_diagnostic.AGD0030.severity = suggestion\n");
        Assert.False(results.ContainsKey("AGD0001"));
        Assert.Equal("warning", results["AGD0004"]);
        Assert.Equal("note", results["AGD0030"]);
    }

    [Fact]
    public async Task Sarif_HasIdsLevelsRegionsAndHelpLinks()
    {
        var (log, _) = await BuildAsync("recommended", null, "sarif");
        using var document = JsonDocument.Parse(File.ReadAllText(log));
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        var run = document.RootElement.GetProperty("runs")[0];
        var result = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "AGD0001");
        Assert.Equal("warning", result.GetProperty("level").GetString());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.EndsWith("Program.cs", location.GetProperty("artifactLocation").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(9, location.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.Contains("Thread.Sleep", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);

        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "AGD0001");
        Assert.Equal(AsyncGuard.Descriptors.HelpLink("AGD0001"), rule.GetProperty("helpUri").GetString());
        output.WriteLine(result.GetRawText());
        output.WriteLine(rule.GetRawText());
    }

    /// <summary>Rule id to SARIF level for one build of the consumer in <paramref name="mode"/>.</summary>
    private async Task<Dictionary<string, string>> BuildWithSarifAsync(string mode, string? editorConfig)
    {
        var (log, _) = await BuildAsync(mode, editorConfig, mode + (editorConfig is null ? "" : "-editorconfig"));
        using var document = JsonDocument.Parse(File.ReadAllText(log));
        var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString()!.StartsWith("AGD", StringComparison.Ordinal))
            .ToDictionary(r => r.GetProperty("ruleId").GetString()!, r => r.GetProperty("level").GetString()!);
        output.WriteLine($"{mode}: {string.Join(", ", results.Select(p => $"{p.Key}={p.Value}"))}");
        return results;
    }

    private async Task<(string Log, DotNet.Result Build)> BuildAsync(string mode, string? editorConfig, string name)
    {
        var app = package.NewConsumer("preset-" + name, package.ProjectXml(extraProperties: $"<AsyncGuardMode>{mode}</AsyncGuardMode>"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), PackageConsumptionTests.ProgramSource);
        if (editorConfig is not null) File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n\n" + editorConfig);
        var log = Path.Combine(app, "build.sarif");
        // The comma must be escaped: an unescaped one makes MSBuild split the value and write SARIF 1.0.
        var build = (await package.DotNet.RunAsync(app, "build", "--no-incremental", $"-p:ErrorLog={log}%2Cversion=2.1"))
            .EnsureSuccess($"build in mode {mode}");
        Assert.True(File.Exists(log), "no SARIF log written");
        return (log, build);
    }
}
