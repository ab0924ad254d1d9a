using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;
using AsyncGuard.Tests.Robustness;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// Bulk fixes through a real client: a copy of the sample project takes the package, fails a
/// <c>-warnaserror</c> build with every rule id, is fixed by <c>dotnet format analyzers</c> for
/// every fixable id, and then compiles; the fixed files equal the expected ones kept in
/// FixedSamples/ (ASYNCGUARD_REGENERATE=1 rewrites them), and no remaining diagnostic of a
/// fixable rule has a fix on offer.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class SampleFormatTests
{
    private static readonly Regex Diagnostic = new(@"(?<file>[\w.]+\.cs)\((?<line>\d+),\d+\): (?:warning|error) (?<id>AGD\d{4})", RegexOptions.Compiled);

    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public SampleFormatTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public async Task Samples_FailWarnAsError_ThenDotnetFormatFixesEveryFixableRule()
    {
        var root = Directory.CreateDirectory(Path.Combine(package.Work, "samples")).FullName;
        File.Copy(Repository.PathOf("samples", ".editorconfig"), Path.Combine(root, ".editorconfig"));
        var project = package.NewConsumer(Path.Combine("samples", "AsyncGuard.Samples"), package.ProjectXml(outputType: "Library"));
        foreach (var file in Repository.SampleFiles) File.Copy(file, Path.Combine(project, Path.GetFileName(file)));

        var strict = await package.DotNet.RunAsync(project, "build", "--no-incremental", "-warnaserror");
        Assert.NotEqual(0, strict.ExitCode);
        var before = Found(strict.Output);
        Assert.Equal(Repository.Descriptors.Select(d => d.Id).OrderBy(i => i), before.Select(d => d.Id).Distinct().OrderBy(i => i));

        var fixable = Repository.Descriptors.Select(d => d.Id).Where(id => Repository.Fixers.Any(f => f.FixableDiagnosticIds.Contains(id))).ToList();
        // dotnet format applies one kind of fix (one equivalence key) per rule and run; a rule with
        // two kinds (AGD0002: await the twin, or offload) needs a second run. Run until no fix is
        // on offer any more (checked in process, which saves a last dotnet format run that would
        // change nothing), or until a run changes nothing.
        var runs = 0;
        var offered = new List<string> { "before the first run" };
        while (offered.Count > 0 && runs < 4)
        {
            runs++;
            var snapshot = Repository.SampleFiles.Select(f => File.ReadAllText(Path.Combine(project, Path.GetFileName(f)))).ToList();
            var format = (await package.DotNet.RunAsync(project, new[] { "format", "analyzers", "--severity", "info", "--diagnostics" }.Concat(fixable).Append("--verbosity").Append("diagnostic").ToArray()))
                .EnsureSuccess("dotnet format analyzers");
            output.WriteLine($"dotnet format run {runs}: {format.Elapsed.TotalSeconds:F1}s");
            // Later runs may say "Unable to fix" for a rule whose remaining shapes have no fix by
            // design (AGD0013 on a TimerCallback); that nothing fixable remains is checked below.
            if (runs == 1) Assert.False(format.Output.Contains("Unable to fix", StringComparison.Ordinal), format.Output);
            offered = await FixesOfferedAsync(project);
            if (snapshot.SequenceEqual(Repository.SampleFiles.Select(f => File.ReadAllText(Path.Combine(project, Path.GetFileName(f)))))) break;
        }

        // What a fixable rule still reports must be a shape its fix is not offered for.
        Assert.True(offered.Count == 0, $"fixes still offered after {runs} dotnet format runs: " + string.Join(", ", offered));
        output.WriteLine($"fixed point after {runs} runs: no fix on offer");

        var rebuild = (await package.DotNet.RunAsync(project, "build", "--no-incremental")).EnsureSuccess("build of the fixed samples");
        var after = Found(rebuild.Output);

        // The diff summary: files changed, and fixes applied per id.
        var changed = new List<string>();
        foreach (var file in Repository.SampleFiles)
        {
            var name = Path.GetFileName(file);
            var fixedText = File.ReadAllText(Path.Combine(project, name)).ReplaceLineEndings("\n");
            if (fixedText != File.ReadAllText(file).ReplaceLineEndings("\n")) changed.Add(name);
            var expectedPath = Path.Combine(Repository.PathOf("tests", "AsyncGuard.Tests", "Package", "FixedSamples"), name + ".expected");
            if (Environment.GetEnvironmentVariable("ASYNCGUARD_REGENERATE") == "1") File.WriteAllText(expectedPath, fixedText);
            Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing (run with ASYNCGUARD_REGENERATE=1)");
            Assert.Equal(File.ReadAllText(expectedPath).ReplaceLineEndings("\n"), fixedText);
        }

        output.WriteLine($"files changed: {changed.Count} of {Repository.SampleFiles.Count()}: {string.Join(", ", changed)}");
        foreach (var id in fixable)
            output.WriteLine($"  {id}: {before.Count(d => d.Id == id)} before, {after.Count(d => d.Id == id)} after");
    }

    /// <summary>The fixes still offered in the sample copy, as "file: id title".</summary>
    private static async Task<List<string>> FixesOfferedAsync(string project)
    {
        var result = new List<string>();
        foreach (var file in Repository.SampleFiles)
        {
            var source = new Corpus.Source(Path.GetFileName(file), File.ReadAllText(Path.Combine(project, Path.GetFileName(file))));
            var (document, diagnostics) = await AllRules.AnalyzeAsync(source, source.Text);
            var offered = await AllRules.ApplyFixesAsync(source, document, diagnostics, int.MaxValue, fixAll: false);
            result.AddRange(offered.Select(f => $"{source.Name}: {f.Id} {f.Action.Title}"));
        }

        return result;
    }

    private static List<(string File, int Line, string Id)> Found(string buildOutput) =>
        Diagnostic.Matches(buildOutput)
            .Select(m => (m.Groups["file"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["id"].Value))
            .Distinct()
            .ToList();
}
