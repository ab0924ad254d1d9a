using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags synchronous calls inside async code that have an awaitable twin <c>XAsync</c> with the
/// same arguments (AGD0002 when the call blocks a thread on I/O or a wait, AGD0006 when the
/// call merely has an async overload), and a curated list of blocking waits with no twin
/// (AGD0002, fixed by offloading them with <c>await Task.Run</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which fix applies, <see cref="FixTwin"/> or <see cref="FixOffload"/>; absent when none.</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the name of the async twin to call.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Diagnostic property: the token expression to pass as the twin's trailing argument, when one is passed.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Diagnostic property: the name of the twin's token parameter (for a named argument).</summary>
    public const string TokenParameterProperty = "TokenParameter";

    /// <summary>Diagnostic property: "true" when the awaited value may take <c>.ConfigureAwait(false)</c>.</summary>
    public const string ConfigurableProperty = "Configurable";

    public const string FixTwin = "Twin";
    public const string FixOffload = "Offload";

    // Types whose synchronous members do real I/O or wait: their twins are reported as AGD0002.
    private static readonly string[] BlockingTypeNames =
    {
        "System.IO.Stream", "System.IO.TextReader", "System.IO.TextWriter", "System.IO.File",
        "System.IO.BinaryReader", "System.IO.BinaryWriter",
        "System.Net.Http.HttpClient", "System.Net.Http.HttpMessageInvoker", "System.Net.Http.HttpContent",
        "System.Data.Common.DbCommand", "System.Data.Common.DbConnection", "System.Data.Common.DbDataReader",
        "System.Data.Common.DbTransaction", "System.Data.Common.DbBatch",
        "System.Threading.SemaphoreSlim", "System.Diagnostics.Process",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.TcpListener",
        "System.Net.Sockets.UdpClient", "System.Net.Dns", "System.Net.NetworkInformation.Ping",
        "System.Text.Json.JsonSerializer", "System.IO.Pipelines.PipeReader",
    };

    // Curated blocking waits with no async twin: (type, method names).
    private static readonly (string Type, string[] Methods)[] CuratedWaits =
    {
        ("System.Threading.WaitHandle", new[] { "WaitOne", "WaitAll", "WaitAny", "SignalAndWait" }),
        ("System.Threading.ManualResetEventSlim", new[] { "Wait" }),
        ("System.Threading.CountdownEvent", new[] { "Wait" }),
        ("System.Threading.Barrier", new[] { "SignalAndWait" }),
        ("System.Threading.Thread", new[] { "Join" }),
        ("System.Collections.Concurrent.BlockingCollection`1", new[] { "Take", "Add" }),
        ("System.Threading.Monitor", new[] { "Wait" }),
        ("System.Threading.SpinWait", new[] { "SpinUntil" }),
    };

    // Types whose twins are not equivalent or not worth it: in-memory I/O, cancellation,
    // XmlReader/XmlWriter (their async members throw unless created with Async = true).
    private static readonly string[] SilentTypeNames =
    {
        "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter",
        "System.Threading.CancellationTokenSource", "System.Threading.Mutex",
        "System.Xml.XmlReader", "System.Xml.XmlWriter",
        "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1",
        "System.Runtime.CompilerServices.TaskAwaiter", "System.Runtime.CompilerServices.TaskAwaiter`1",
        "System.Runtime.CompilerServices.ValueTaskAwaiter`1", "System.Runtime.CompilerServices.ConfiguredTaskAwaitable",
    };

    // Writers/readers that are in-memory when the stream under them is.
    private static readonly string[] WrapperTypeNames =
    {
        "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.BinaryReader", "System.IO.BinaryWriter",
    };

    // Test frameworks' assertion namespaces: asserts that exercise the sync API are deliberate.
    private static readonly string[] AssertNamespaces = { "Xunit", "NUnit.Framework", "Microsoft.VisualStudio.TestTools.UnitTesting" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0002_BlockingCall, Descriptors.AGD0006_PreferAsyncOverload);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new State(symbols);
            start.RegisterOperationAction(c => { if (!testCode.SilencesAll(SupportedDiagnostics, c.Operation.Syntax.SyntaxTree)) state.AnalyzeInvocation(c); }, OperationKind.Invocation);
        });
    }

    /// <summary>What a synchronous method has: its twins and whether it blocks. Computed once per method.</summary>
    private sealed class MethodInfo
    {
        public static readonly MethodInfo None = new();

        public IMethodSymbol? Plain { get; set; }
        public IMethodSymbol? WithToken { get; set; }
        public bool MemoryFormOnly { get; set; }
        public bool Curated { get; set; }
        public bool OffloadAllowed { get; set; } = true;
        public bool BlockingType { get; set; }
        public string TwinName { get; set; } = string.Empty;

        public bool HasTwin => Plain is not null || WithToken is not null || MemoryFormOnly;
    }

    /// <summary>The lists of one <c>.editorconfig</c> options object, parsed once.</summary>
    private sealed class ParsedOptions
    {
        public static readonly ParsedOptions Empty = new(ImmutableArray<Regex>.Empty, ImmutableArray<Regex>.Empty);

        public ParsedOptions(ImmutableArray<Regex> excluded, ImmutableArray<Regex> extra)
        {
            Excluded = excluded;
            Extra = extra;
        }

        public ImmutableArray<Regex> Excluded { get; }
        public ImmutableArray<Regex> Extra { get; }
    }

    /// <summary>Everything resolved once per compilation, and the per-compilation caches.</summary>
    private sealed class State
    {
        private readonly KnownSymbols symbols;
        private readonly ConcurrentDictionary<IMethodSymbol, MethodInfo> methods = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<AnalyzerConfigOptions, ParsedOptions> options = new();
        private readonly ConcurrentDictionary<SyntaxTree, ParsedOptions> optionsByTree = new();
        private readonly ImmutableArray<INamedTypeSymbol> blockingTypes;
        private readonly ImmutableArray<(INamedTypeSymbol Type, string[] Methods)> curated;
        private readonly HashSet<INamedTypeSymbol> silentTypes;
        private readonly ImmutableArray<INamedTypeSymbol> inMemoryTypes;
        private readonly ImmutableArray<INamedTypeSymbol> wrapperTypes;
        private readonly INamedTypeSymbol? memory;
        private readonly INamedTypeSymbol? readOnlyMemory;
        private readonly INamedTypeSymbol? span;
        private readonly INamedTypeSymbol? readOnlySpan;
        private readonly INamedTypeSymbol? console;
        private readonly INamedTypeSymbol? obsolete;
        private readonly INamedTypeSymbol? monitor;

        public State(KnownSymbols symbols)
        {
            this.symbols = symbols;
            blockingTypes = Resolve(symbols, BlockingTypeNames);
            curated = CuratedWaits
                .Select(c => (Type: symbols.Lookup(c.Type), c.Methods))
                .Where(c => c.Type is not null)
                .Select(c => (c.Type!, c.Methods))
                .ToImmutableArray();
            silentTypes = new HashSet<INamedTypeSymbol>(Resolve(symbols, SilentTypeNames), SymbolEqualityComparer.Default);
            inMemoryTypes = Resolve(symbols, new[] { "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter" });
            wrapperTypes = Resolve(symbols, WrapperTypeNames);
            memory = symbols.Lookup("System.Memory`1");
            readOnlyMemory = symbols.Lookup("System.ReadOnlyMemory`1");
            span = symbols.Lookup("System.Span`1");
            readOnlySpan = symbols.Lookup("System.ReadOnlySpan`1");
            console = symbols.Lookup("System.Console");
            obsolete = symbols.Lookup("System.ObsoleteAttribute");
            monitor = symbols.Monitor;
        }

        private static ImmutableArray<INamedTypeSymbol> Resolve(KnownSymbols symbols, IEnumerable<string> names) =>
            names.Select(symbols.Lookup).Where(t => t is not null).Select(t => t!).ToImmutableArray();

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;

            // Cheap exits first: this runs on every call of the compilation.
            if (method.Name.EndsWith("Async", System.StringComparison.Ordinal)) return;
            if (method.Name is "Dispose" or "Close") return;
            if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension)) return;
            if (method.ContainingType is null) return;

            // Most calls have no twin and are not curated: that answer is cached per method definition.
            var original = (method.ReducedFrom ?? method).OriginalDefinition;
            var info = methods.GetOrAdd(original, Compute);
            var parsed = Parse(context.Options, invocation.Syntax.SyntaxTree);
            var extra = !parsed.Extra.IsEmpty && Matches(parsed.Extra, original);
            if (!info.HasTwin && !info.Curated && !extra) return;
            if (!method.ReturnsVoid && symbols.IsAsyncReturnType(method.ReturnType)) return;
            if (silentTypes.Contains(method.ContainingType.OriginalDefinition)) return;
            if (!AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;
            if (!parsed.Excluded.IsEmpty && Matches(parsed.Excluded, original)) return;
            if (IsSilent(invocation, original, info, context.ContainingSymbol)) return;

            var blocking = info.Curated || extra || info.BlockingType;
            var properties = ImmutableDictionary<string, string?>.Empty;
            var model = invocation.SemanticModel;
            var call = Display(original);
            if (info.HasTwin)
            {
                var twinDisplay = original.ContainingType.Name + "." + info.TwinName;
                var token = model is null ? null : AsyncContext.FindTokenInScope(model, invocation.Syntax, symbols);
                var twin = ChooseTwin(info, token, out var passToken);
                if (!blocking && twin is not null && AsyncTwin.IsBuiltOnSync(twin, original, context.ContainingSymbol, context.CancellationToken)) return;
                if (twin is not null && IsAccessible(twin, context.ContainingSymbol) && CanFixTwin(invocation))
                {
                    properties = properties.Add(FixProperty, FixTwin).Add(TwinProperty, twin.Name);
                    if (passToken && token is not null)
                    {
                        properties = properties.Add(TokenProperty, token.Expression)
                            .Add(TokenParameterProperty, twin.Parameters[twin.Parameters.Length - 1].Name);
                    }

                    if (symbols.IsTaskType(twin.ReturnType)) properties = properties.Add(ConfigurableProperty, "true");
                }

                context.ReportDiagnostic(blocking
                    ? Diagnostic.Create(Descriptors.AGD0002_BlockingCall, invocation.Syntax.GetLocation(), properties, call, $"await '{twinDisplay}' instead")
                    : Diagnostic.Create(Descriptors.AGD0006_PreferAsyncOverload, invocation.Syntax.GetLocation(), properties, call, twinDisplay));
                return;
            }

            if (info.OffloadAllowed && CanOffload(invocation)) properties = properties.Add(FixProperty, FixOffload);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0002_BlockingCall, invocation.Syntax.GetLocation(), properties, call,
                "it has no async form: offload it with 'await Task.Run(...)'"));
        }

        private static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        private static bool IsAccessible(IMethodSymbol twin, ISymbol containing) =>
            twin.DeclaredAccessibility == Accessibility.Public
            || (containing.ContainingType is { } type && containing.ContainingAssembly is not null
                && (SymbolEqualityComparer.Default.Equals(twin.ContainingAssembly, containing.ContainingAssembly)
                    ? twin.DeclaredAccessibility != Accessibility.Private || SymbolEqualityComparer.Default.Equals(twin.ContainingType, type)
                    : twin.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal
                        && KnownSymbols.InheritsFrom(type, twin.ContainingType.OriginalDefinition)));

        /// <summary>The twin overload to call: with the token when one is in scope, else the plain one.</summary>
        private static IMethodSymbol? ChooseTwin(MethodInfo info, TokenInScope? token, out bool passToken)
        {
            passToken = false;
            if (token is not null && info.WithToken is not null)
            {
                passToken = true;
                return info.WithToken;
            }

            if (info.Plain is not null) return info.Plain;
            if (info.WithToken is { } withToken && withToken.Parameters[withToken.Parameters.Length - 1].IsOptional) return withToken;
            return null;
        }

        /// <summary>The twin fix renames the call: a plain <c>x.M(...)</c> or <c>M(...)</c>, not <c>x?.M(...)</c>.</summary>
        private static bool CanFixTwin(IInvocationOperation invocation) =>
            invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax }
            && !invocation.Arguments.Any(a => a.Value.Type?.IsRefLikeType == true || a.Parameter?.RefKind is RefKind.Ref or RefKind.Out);

        /// <summary>
        /// <c>await Task.Run(() => call)</c> gives back the same value and exceptions only when the
        /// call can move into a lambda: no ref-like or by-reference values, no struct <c>this</c>.
        /// </summary>
        private static bool CanOffload(IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.ReturnsByRef || invocation.TargetMethod.ReturnsByRefReadonly) return false;
            if (invocation.Type?.IsRefLikeType == true) return false;
            if (invocation.Syntax is not InvocationExpressionSyntax) return false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out or RefKind.In or RefKind.RefReadOnlyParameter) return false;
            }

            foreach (var operation in invocation.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ILocalReferenceOperation local when local.Local.IsRef || local.Local.Type.IsRefLikeType:
                    case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None || parameter.Parameter.Type.IsRefLikeType:
                    case IInstanceReferenceOperation instance when instance.Type?.IsValueType == true:
                    case IAnonymousFunctionOperation:
                        return false;
                    case IOperation other when other.Type?.IsRefLikeType == true:
                        return false;
                }
            }

            return true;
        }

        /// <summary>The option lists that apply to <paramref name="tree"/>: looked up once per tree, parsed once per options object.</summary>
        private ParsedOptions Parse(AnalyzerOptions analyzerOptions, SyntaxTree tree)
        {
            if (optionsByTree.TryGetValue(tree, out var cached)) return cached;
            var config = analyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
            var parsed = options.GetOrAdd(config, _ =>
            {
                var excluded = Options.GetList(analyzerOptions, tree, Options.AGD0002.ExcludedMethods);
                var extra = Options.GetList(analyzerOptions, tree, Options.AGD0002.ExtraBlockingMethods);
                if (excluded.IsEmpty && extra.IsEmpty) return ParsedOptions.Empty;
                return new ParsedOptions(excluded.Select(Pattern).ToImmutableArray(), extra.Select(Pattern).ToImmutableArray());
            });
            optionsByTree.TryAdd(tree, parsed);
            return parsed;
        }

        private static Regex Pattern(string id) =>
            new("^" + Regex.Escape(id).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);

        /// <summary>A documentation-id pattern matches the method (M:), its type or a base-less type prefix (T:), or its namespace (N:).</summary>
        private static bool Matches(ImmutableArray<Regex> patterns, IMethodSymbol method)
        {
            var methodId = method.GetDocumentationCommentId();
            var typeId = method.ContainingType.GetDocumentationCommentId();
            var namespaceId = method.ContainingNamespace is { IsGlobalNamespace: false } ns ? "N:" + ns.ToDisplayString() : null;
            foreach (var pattern in patterns)
            {
                if (methodId is not null && pattern.IsMatch(methodId)) return true;
                if (typeId is not null && pattern.IsMatch(typeId)) return true;
                if (namespaceId is not null && pattern.IsMatch(namespaceId)) return true;
            }

            return false;
        }

        /// <summary>The twins of <paramref name="method"/> and whether it blocks: once per method of the compilation.</summary>
        private MethodInfo Compute(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(type, symbols.Thread)) return MethodInfo.None; // AGD0001
            foreach (var (waitType, names) in curated)
            {
                if (names.Contains(method.Name) && KnownSymbols.InheritsFrom(type, waitType))
                {
                    // Monitor.Wait must run on the thread that holds the lock: never offloaded.
                    return new MethodInfo { Curated = true, OffloadAllowed = !SymbolEqualityComparer.Default.Equals(type, monitor) };
                }
            }

            var twinName = method.Name + "Async";
            var info = new MethodInfo { TwinName = twinName };
            foreach (var candidateType in SearchTypes(method))
            {
                foreach (var member in candidateType.GetMembers(twinName))
                {
                    if (member is not IMethodSymbol twin || twin.IsStatic != method.IsStatic
                        || twin.IsExtensionMethod != method.IsExtensionMethod
                        || twin.TypeParameters.Length != method.TypeParameters.Length
                        || twin.DeclaredAccessibility == Accessibility.Private && !SymbolEqualityComparer.Default.Equals(twin.ContainingType, method.ContainingType)
                        || !symbols.IsAwaitable(twin.ReturnType)
                        || !ResultMatches(method, twin)
                        || IsObsolete(twin))
                    {
                        continue;
                    }

                    switch (MatchParameters(method.Parameters, twin.Parameters))
                    {
                        case ParameterMatch.Same:
                            info.Plain ??= twin;
                            break;
                        case ParameterMatch.SamePlusToken:
                            info.WithToken ??= twin;
                            break;
                        case ParameterMatch.MemoryForm:
                            info.MemoryFormOnly = true;
                            break;
                    }
                }
            }

            if (!info.HasTwin) return MethodInfo.None;
            // A data reader's row is buffered after Read/ReadAsync (default command behavior).
            info.BlockingType = blockingTypes.Any(b => KnownSymbols.InheritsFrom(type, b))
                && !(method.Name is "IsDBNull" or "GetFieldValue" && type.Name.EndsWith("DataReader", System.StringComparison.Ordinal));
            return info;
        }

        private static IEnumerable<INamedTypeSymbol> SearchTypes(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (method.IsStatic || type.TypeKind != TypeKind.Interface)
            {
                for (var current = type; current is not null; current = current.BaseType)
                {
                    yield return current;
                    if (method.IsStatic) yield break;
                }
            }
            else
            {
                yield return type;
                foreach (var inherited in type.AllInterfaces) yield return inherited;
            }
        }

        private bool IsObsolete(IMethodSymbol method) =>
            obsolete is not null && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, obsolete));

        /// <summary>The twin's awaited value has the sync method's type (void for a plain task).</summary>
        private bool ResultMatches(IMethodSymbol method, IMethodSymbol twin)
        {
            var result = AwaitedType(twin.ReturnType);
            if (method.ReturnsVoid) return result is null || result.SpecialType == SpecialType.System_Void;
            return result is not null && TypesMatch(method.ReturnType, result);
        }

        private ITypeSymbol? AwaitedType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol named && symbols.IsTaskType(named))
            {
                for (INamedTypeSymbol? current = named; current is not null; current = current.BaseType)
                {
                    if (current.TypeArguments.Length == 1) return current.TypeArguments[0];
                }

                return null;
            }

            var getAwaiter = type.GetMembers("GetAwaiter").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0);
            return getAwaiter?.ReturnType.GetMembers("GetResult").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 0)?.ReturnType;
        }

        private enum ParameterMatch { None, Same, SamePlusToken, MemoryForm }

        private ParameterMatch MatchParameters(ImmutableArray<IParameterSymbol> sync, ImmutableArray<IParameterSymbol> twin)
        {
            int i = 0, j = 0;
            var memoryForm = false;
            while (i < sync.Length)
            {
                if (j >= twin.Length) return ParameterMatch.None;
                var s = sync[i];
                var t = twin[j];
                if (s.RefKind is RefKind.Ref or RefKind.Out || t.RefKind != RefKind.None) return ParameterMatch.None;
                if (TypesMatch(s.Type, t.Type) && s.IsParams == t.IsParams)
                {
                    i++;
                    j++;
                }
                else if (IsMemoryOf(t.Type, ElementOfSpan(s.Type)))
                {
                    memoryForm = true;
                    i++;
                    j++;
                }
                else if (s.Type is IArrayTypeSymbol { Rank: 1 } array && i + 2 < sync.Length
                    && sync[i + 1].Type.SpecialType == SpecialType.System_Int32 && sync[i + 2].Type.SpecialType == SpecialType.System_Int32
                    && IsMemoryOf(t.Type, array.ElementType))
                {
                    memoryForm = true;
                    i += 3;
                    j++;
                }
                else
                {
                    return ParameterMatch.None;
                }
            }

            var plusToken = j == twin.Length - 1 && symbols.IsCancellationToken(twin[j].Type);
            if (j != twin.Length && !plusToken) return ParameterMatch.None;
            if (memoryForm) return ParameterMatch.MemoryForm;
            return plusToken ? ParameterMatch.SamePlusToken : ParameterMatch.Same;
        }

        private ITypeSymbol? ElementOfSpan(ITypeSymbol type) =>
            type is INamedTypeSymbol { TypeArguments.Length: 1 } named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, span) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, readOnlySpan))
                ? named.TypeArguments[0]
                : null;

        private bool IsMemoryOf(ITypeSymbol type, ITypeSymbol? element) =>
            element is not null
            && type is INamedTypeSymbol { TypeArguments.Length: 1 } named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, memory) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, readOnlyMemory))
            && TypesMatch(named.TypeArguments[0], element);

        /// <summary>Type equality where a method's type parameters match by position.</summary>
        private static bool TypesMatch(ITypeSymbol a, ITypeSymbol b)
        {
            if (SymbolEqualityComparer.Default.Equals(a, b)) return true;
            switch (a)
            {
                case ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } ta:
                    return b is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } tb && ta.Ordinal == tb.Ordinal;
                case IArrayTypeSymbol aa:
                    return b is IArrayTypeSymbol ba && aa.Rank == ba.Rank && TypesMatch(aa.ElementType, ba.ElementType);
                case INamedTypeSymbol { IsGenericType: true } na:
                    return b is INamedTypeSymbol { IsGenericType: true } nb
                        && SymbolEqualityComparer.Default.Equals(na.OriginalDefinition, nb.OriginalDefinition)
                        && na.TypeArguments.Length == nb.TypeArguments.Length
                        && na.TypeArguments.Zip(nb.TypeArguments, TypesMatch).All(x => x);
                default:
                    return false;
            }
        }

        // ---- the deliberate shapes that stay silent ----

        private bool IsSilent(IInvocationOperation invocation, IMethodSymbol method, MethodInfo info, ISymbol containingSymbol)
        {
            var type = method.ContainingType;
            var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;

            // EF Core: Add/AddRange's async forms exist only for special value generators;
            // CreateDbContext does no I/O. Matched by name: the package is optional.
            if (ns.StartsWith("Microsoft.EntityFrameworkCore", System.StringComparison.Ordinal)
                && method.Name is "Add" or "AddRange" or "CreateDbContext") return true;

            // Test asserts exercise the API they are given on purpose.
            if (type.Name.EndsWith("Assert", System.StringComparison.Ordinal)
                && AssertNamespaces.Any(a => ns == a || ns.StartsWith(a + ".", System.StringComparison.Ordinal))) return true;

            // A zero timeout is a non-blocking try, not a wait.
            if (method.Name.StartsWith("Wait", System.StringComparison.Ordinal) || method.Name is "Join" or "Take" or "SignalAndWait")
            {
                if (invocation.Arguments.Length > 0 && IsZeroTimeout(invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value)) return true;
            }

            if (invocation.Instance is { } receiver && IsInMemoryOrConsole(receiver, invocation.SemanticModel, depth: 0)) return true;

            if (!info.HasTwin) return false;

            // Recursion: FooAsync implemented with Foo, or the sync path of its own twin.
            if (containingSymbol.Name == info.TwinName) return true;
            if (AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is { } function && function.Name == info.TwinName) return true;

            return IsDualPath(invocation, info.TwinName);
        }

        private static bool IsZeroTimeout(IOperation? value)
        {
            while (value is IConversionOperation conversion) value = conversion.Operand;
            return value switch
            {
                { ConstantValue: { HasValue: true, Value: 0 or 0L } } => true,
                IFieldReferenceOperation { Field: { Name: "Zero", ContainingType.Name: "TimeSpan" } } => true,
                IPropertyReferenceOperation { Property: { Name: "Zero", ContainingType.Name: "TimeSpan" } } => true,
                _ => false,
            };
        }

        /// <summary>
        /// The receiver is provably in memory: typed MemoryStream/StringReader/StringWriter, or a
        /// local initialized with one, or a reader/writer created over one; or it is Console.In/Out/Error.
        /// </summary>
        private bool IsInMemoryOrConsole(IOperation receiver, SemanticModel? model, int depth)
        {
            while (receiver is IConversionOperation conversion) receiver = conversion.Operand;
            if (receiver.Type is { } type && inMemoryTypes.Any(t => KnownSymbols.InheritsFrom(type, t))) return true;
            if (depth > 2) return false;
            switch (receiver)
            {
                case IPropertyReferenceOperation { Property.ContainingType: { } owner } when SymbolEqualityComparer.Default.Equals(owner, console):
                    return true;
                case IObjectCreationOperation creation when creation.Type is { } created
                    && wrapperTypes.Any(w => KnownSymbols.InheritsFrom(created, w))
                    && creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } first:
                    return IsInMemoryOrConsole(first.Value, model, depth + 1);
                case ILocalReferenceOperation local when model is not null
                    && local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                    && initializer.SyntaxTree == model.SyntaxTree
                    && model.GetOperation(initializer) is { } value:
                    return IsInMemoryOrConsole(value, model, depth + 1);
                default:
                    return false;
            }
        }

        /// <summary>
        /// The dual-path shape: the call sits in one branch of an <c>if</c> or <c>?:</c> whose other
        /// branch calls the twin. The condition selects sync or async mode on purpose.
        /// </summary>
        private static bool IsDualPath(IOperation invocation, string twinName)
        {
            var child = invocation;
            for (var current = invocation.Parent; current is not null; child = current, current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation) return false;
                if (current is not IConditionalOperation conditional) continue;
                var other = conditional.WhenTrue == child ? conditional.WhenFalse : conditional.WhenFalse == child ? conditional.WhenTrue : null;
                if (other is null) continue;
                if (other.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i => InvokedName(i) == twinName)) return true;
            }

            return false;
        }

        private static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax name => name.Identifier.ValueText,
            _ => null,
        };
    }
}
