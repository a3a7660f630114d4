/** Call counts of list --all and dominfo with 50 VMs (see call-counts.ts). */
import { callCountSuite } from "./call-counts.js";

callCountSuite(50);
