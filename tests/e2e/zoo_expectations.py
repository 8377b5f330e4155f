"""What the zoo test (tests/e2e/test_zoo.py) allows, by type name
(module.qualname as the target names it), each with its reason; the README
repeats the first list.

UNREADABLE: types whose size or referents cannot be read from the target's
memory: the scanner flags them (s: size, r: referents) rather than guess.
NOT_YET_MODELLED: types the scanner flags today but could model: what is
left of issue 9, part 3.  The test allows them, counts them apart, and fails
when one is no longer needed on any interpreter (the lists only shrink).
NO_INSTANCE: C types the zoo does not make; those marked "(to do)" could be
made."""

UNREADABLE = {
    "PyCapsule": "3.13+: a capsule's traverse is whatever C function its maker installed",
}

NOT_YET_MODELLED = {}

NO_INSTANCE = {
    "MultibyteIncrementalDecoder": "abstract base: its instances are of the codecs' subclasses (made)",
    "MultibyteIncrementalEncoder": "abstract base: its instances are of the codecs' subclasses (made)",
    "MultibyteStreamReader": "abstract base: its instances are of the codecs' subclasses (made)",
    "MultibyteStreamWriter": "abstract base: its instances are of the codecs' subclasses (made)",
    "_RunningLoopHolder": "not made by the zoo yet (to do)",
    "_buffer_wrapper": "not made by the zoo yet (to do)",
    "_ctypes.Array": "abstract base: its instances are of subclasses (made)",
    "_ctypes.CFuncPtr": "abstract base: its instances are of subclasses (made)",
    "_ctypes.PyCFuncPtr": "abstract base: its instances are of subclasses (made)",
    "_ctypes.StructParam_Type": "not made by the zoo yet (to do)",
    "_ctypes.Structure": "abstract base: its instances are of subclasses (made)",
    "_ctypes.Union": "abstract base: its instances are of subclasses (made)",
    "_ctypes._CData": "abstract base: its instances are of subclasses (made)",
    "_ctypes._Pointer": "abstract base: its instances are of subclasses (made)",
    "_ctypes._SimpleCData": "abstract base: its instances are of subclasses (made)",
    "_curses.window": "needs an initialised terminal (curses.initscr)",
    "_hmac.HMAC": "not made by the zoo yet (to do)",
    "_interpchannels.ChannelID": "not made by the zoo yet (to do)",
    "_interpchannels.ChannelInfo": "not made by the zoo yet (to do)",
    "_interpreters.CrossInterpreterBufferView": "not made by the zoo yet (to do)",
    "_multibytecodec.MultibyteIncrementalDecoder": "abstract base: its instances are of the codecs' subclasses (made)",
    "_multibytecodec.MultibyteIncrementalEncoder": "abstract base: its instances are of the codecs' subclasses (made)",
    "_multibytecodec.MultibyteStreamReader": "abstract base: its instances are of the codecs' subclasses (made)",
    "_multibytecodec.MultibyteStreamWriter": "abstract base: its instances are of the codecs' subclasses (made)",
    "_multiprocessing.SemLock": "not made by the zoo yet (to do)",
    "_remote_debugging.AwaitedInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.BinaryReader": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.BinaryWriter": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.CoroInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.FrameInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.GCMonitor": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.GCStatsInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.InterpreterInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.LocationInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.RemoteUnwinder": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.TaskInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_remote_debugging.ThreadInfo": "_remote_debugging's types describe another process: made by inspecting one",
    "_ssl.Certificate": "not made by the zoo yet (to do)",
    "_ssl.SSLSession": "not made by the zoo yet (to do)",
    "_ssl.Session": "not made by the zoo yet (to do)",
    "_ssl._SSLContext": "not made by the zoo yet (to do)",
    "_ssl._SSLSocket": "not made by the zoo yet (to do)",
    "_thread._localdummy": "not made by the zoo yet (to do)",
    "async_generator_wrapped_value": "not made by the zoo yet (to do)",
    "builtin_method": "not made by the zoo yet (to do)",
    "compression.zstd.ZstdDict": "not made by the zoo yet (to do)",
    "decimal.SignalDictMixin": "its call with no argument makes 3.8's collector crash; its instances are of its subclass SignalDict (made)",
    "hamt_collision_node": "not made by the zoo yet (to do)",
    "instancemethod": "made only through the C API (PyInstanceMethod_New)",
    "moduledef": "static C structs of the extension modules, reached by no gc.get_referents",
    "ossaudiodev.oss_audio_device": "needs a sound device (/dev/dsp)",
    "ossaudiodev.oss_mixer_device": "needs a sound device (/dev/mixer)",
    "posix.waitid_result": "made only by os.waitid on a child process",
    "signal.struct_siginfo": "made only by signal.sigwaitinfo/sigtimedwait (a signal must arrive)",
    "spwd.struct_spwd": "needs read access to /etc/shadow",
    "sqlite3.Cache": "reached only through sqlite3.Connection, whose referents are flagged (3.8-3.10)",
    "stderrprinter": "exists only while the interpreter starts, before sys.stderr",
    "sys.legacy_event_handler": "exists only while a legacy profiler or tracer is set",
    "uop_executor": "tier-2 executors exist only after hot loops warm up",
}
