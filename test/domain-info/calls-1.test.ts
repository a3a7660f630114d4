/** Call counts of list --all and dominfo with 1 VM (see call-counts.ts). */
import { callCountSuite } from "./call-counts.js";

callCountSuite(1);
